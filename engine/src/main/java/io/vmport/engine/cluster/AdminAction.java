package io.vmport.engine.cluster;

/** The administrative actions of SPEC PM-3. */
public enum AdminAction {
    MAKE_PRIMARY("make-primary"),
    DEACTIVATE("deactivate"),
    ACTIVATE("activate"),
    STOP_TAKING_CALLS("stop-taking-calls"),
    TAKE_CALLS("take-calls");

    private final String pathName;

    AdminAction(String pathName) {
        this.pathName = pathName;
    }

    /** The name in the HTTP path and on the command line, e.g. {@code make-primary}. */
    public String pathName() {
        return pathName;
    }

    /** The action for a path name, or {@code null}. */
    public static AdminAction fromPathName(String name) {
        for (AdminAction a : values()) {
            if (a.pathName.equals(name)) {
                return a;
            }
        }
        return null;
    }
}
