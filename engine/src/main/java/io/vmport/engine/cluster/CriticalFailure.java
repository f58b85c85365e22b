package io.vmport.engine.cluster;

/** An unrecoverable failure that a server detects in itself (SPEC ST-7). */
public enum CriticalFailure {
    /** Its database connection is lost beyond the retry budget. */
    DATABASE_LOST,
    /** A critical service stopped. */
    CRITICAL_SERVICE_STOPPED
}
