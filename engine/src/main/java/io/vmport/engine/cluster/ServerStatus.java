package io.vmport.engine.cluster;

/**
 * The status of one server of the cluster, with what each status may do (SPEC section 2, the capability table).
 *
 * <pre>
 * status                answers calls   publishes data, notifications, MWI   accepts admin changes   receives replication
 * PRIMARY               yes             yes                                   yes                     yes
 * SECONDARY             yes             no                                    yes (to the primary)    yes
 * DEACTIVATED           no              no                                    yes                     yes
 * NOT_FUNCTIONING       no              no                                    no                      no
 * STARTING              no              no                                    no                      yes
 * REPLICATING_DATA      no (a while)    no                                    no                      yes
 * SPLIT_BRAIN_RECOVERY  no (a while)    no                                    no                      yes
 * </pre>
 */
public enum ServerStatus {
    PRIMARY(true, true, true, true),
    SECONDARY(true, false, true, true),
    DEACTIVATED(false, false, true, true),
    NOT_FUNCTIONING(false, false, false, false),
    STARTING(false, false, false, true),
    REPLICATING_DATA(false, false, false, true),
    SPLIT_BRAIN_RECOVERY(false, false, false, true);

    private final boolean answersCalls;
    private final boolean publishesData;
    private final boolean acceptsAdminChanges;
    private final boolean receivesReplication;

    ServerStatus(boolean answersCalls, boolean publishesData, boolean acceptsAdminChanges,
                 boolean receivesReplication) {
        this.answersCalls = answersCalls;
        this.publishesData = publishesData;
        this.acceptsAdminChanges = acceptsAdminChanges;
        this.receivesReplication = receivesReplication;
    }

    /** Answers phone calls and takes messages. */
    public boolean answersCalls() {
        return answersCalls;
    }

    /** Publishes the database and message store, sends message notifications and MWI requests. */
    public boolean publishesData() {
        return publishesData;
    }

    /** Displays and accepts changes to the administrative interfaces (a SECONDARY forwards them to the PRIMARY). */
    public boolean acceptsAdminChanges() {
        return acceptsAdminChanges;
    }

    /** Receives data replicated from the PRIMARY. */
    public boolean receivesReplication() {
        return receivesReplication;
    }

    /** A status that lasts only a short while before the server takes another by itself. */
    public boolean isTransient() {
        return this == STARTING || this == REPLICATING_DATA || this == SPLIT_BRAIN_RECOVERY;
    }
}
