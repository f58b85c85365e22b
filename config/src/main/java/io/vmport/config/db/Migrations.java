package io.vmport.config.db;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database's schema up to date with the versioned SQL in {@code db/migration} (Flyway). Flyway takes a
 * named lock on the server first, so two nodes starting together migrate once. Uses its own short-lived
 * connections, without the pool's socket timeout, so a long migration is not cut off.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/migration";

    /** What a run did: how many migrations it applied and the schema version afterwards. */
    record Result(int applied, String version) {
    }

    private Migrations() {
    }

    static Result apply(DatabaseSettings settings) {
        Flyway flyway = flyway(settings);
        try {
            MigrateResult result = flyway.migrate();
            MigrationVersion version = flyway.info().current() == null ? null : flyway.info().current().getVersion();
            return new Result(result.migrationsExecuted, version == null ? "none" : version.getVersion());
        } catch (FlywayException e) {
            throw new DatabaseException("cannot migrate the schema (url=" + settings.safeUrl() + ", user="
                    + settings.user() + "): " + e.getMessage(), e);
        }
    }

    private static Flyway flyway(DatabaseSettings settings) {
        MysqlDataSource direct = new MysqlDataSource();
        direct.setURL(settings.jdbcUrl());
        direct.setUser(settings.user());
        direct.setPassword(settings.password());
        try {
            direct.setConnectTimeout((int) settings.connectionTimeoutMs());
        } catch (SQLException e) {
            throw new DatabaseException("cannot configure the migration connection (url=" + settings.safeUrl() + ")", e);
        }
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(direct)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load();
    }
}
