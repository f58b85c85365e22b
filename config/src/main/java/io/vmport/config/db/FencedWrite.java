package io.vmport.config.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Statements that only the PRIMARY may run (SPEC ST-13). Runs inside a transaction that holds the lock on the
 * primary-role row and has checked the writer's epoch; do not commit, roll back or close the connection.
 */
@FunctionalInterface
public interface FencedWrite<T> {
    T write(Connection connection) throws SQLException;
}
