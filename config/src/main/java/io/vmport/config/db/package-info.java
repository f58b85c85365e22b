/**
 * The shared database of the cluster (SPEC CL-2): {@link io.vmport.config.db.Database} opens a small HikariCP
 * pool over MySQL Connector/J to MySQL 8 or MariaDB 10.6+, migrates the schema (Flyway, {@code db/migration})
 * and hands out one repository per table group; {@link io.vmport.config.db.EmbeddedDatabase} runs a MariaDB
 * server for one host (demo, tests).
 *
 * <p>Rows are records. Times are epoch milliseconds in fields and columns ending in {@code Ms} / {@code _ms}.
 * Repositories are thread-safe and hold no state but the pool. A failure is a {@link
 * io.vmport.config.db.DatabaseException} whose message carries the URL and the pool totals; {@link
 * io.vmport.config.db.DatabaseException#isConnectionFailure()} tells an outage (keep the writes, retry: SPEC
 * BI-4) from a refused statement.
 *
 * <p>Writes that only the PRIMARY may make take the epoch it holds and throw {@link
 * io.vmport.config.db.StaleEpochException} when a newer epoch exists (SPEC ST-13). Alarms and call records are
 * idempotent on their key, so retries and split-brain merges (SPEC ST-12) never duplicate.
 */
package io.vmport.config.db;
