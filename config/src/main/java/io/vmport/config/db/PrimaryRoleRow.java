package io.vmport.config.db;

import io.vmport.config.ServerName;

/**
 * The PRIMARY role as stored (SPEC ST-13).
 *
 * @param holder      the server that took the role last, or {@code null} if none ever did
 * @param epoch       the fencing token: 0 until the role is first taken, then one more at each take
 * @param changedAtMs when it was last taken, by the database's clock (epoch milliseconds; 0 if never)
 */
public record PrimaryRoleRow(ServerName holder, long epoch, long changedAtMs) {

    public boolean isHeldBy(ServerName server) {
        return holder == server;
    }
}
