package io.vmport.engine.cli;

/** The exit statuses of the command line (DESIGN.md section 4). */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Refused by the cluster; the reason is printed. */
    public static final int REFUSED = 1;
    /** Bad usage, bad configuration or the node is unreachable. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
