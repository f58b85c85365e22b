package io.vmport.config.db;

/**
 * The PRIMARY role as stored, with the database's clock at the time of reading, so that the age of the holder's
 * last renewal is measured on one clock (the database's), never across two hosts (SPEC ST-13).
 *
 * @param role    the holder and epoch; {@code changedAtMs} is when the holder took or last renewed the role
 * @param dbNowMs the database's clock when this was read (epoch milliseconds)
 */
public record PrimaryRoleLease(PrimaryRoleRow role, long dbNowMs) {

    /** Milliseconds since the holder took or last renewed the role. */
    public long ageMs() {
        return dbNowMs - role.changedAtMs();
    }
}
