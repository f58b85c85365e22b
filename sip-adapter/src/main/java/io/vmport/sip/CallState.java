package io.vmport.sip;

/**
 * Where a {@link SipCall} is; it moves only along the arrows ({@link #leadsTo}), one compare-and-set per move:
 *
 * <pre>
 * OFFERED --answer--> ANSWERED --ACK--> CONNECTED --hangUp--> ENDING --BYE done--> ENDED
 *    |                  |   \--hangUp--> HANGUP_PENDING --ACK--/                     ^
 *    |                  \------------------- BYE from PBX, no ACK, failure ----------|
 *    |--CANCEL------------------------------------------------------------------------|
 *    \--refuse / redirect--> REFUSED
 * </pre>
 */
enum CallState {
    OFFERED, ANSWERED, CONNECTED, HANGUP_PENDING, ENDING, ENDED, REFUSED;

    /** Offered, or answered and not yet acknowledged: the call holds its port without being a call yet. */
    boolean inSetup() {
        return this == OFFERED || this == ANSWERED || this == HANGUP_PENDING;
    }

    /** True when a call may move from this state to {@code next}. */
    boolean leadsTo(CallState next) {
        return switch (this) {
            case OFFERED -> next == ANSWERED || next == REFUSED || next == ENDED;
            case ANSWERED -> next == CONNECTED || next == HANGUP_PENDING || next == ENDED;
            case CONNECTED, HANGUP_PENDING -> next == ENDING || next == ENDED;
            case ENDING -> next == ENDED;
            case ENDED, REFUSED -> false;
        };
    }

    /** True when nothing more happens to the call. */
    boolean isOver() {
        return this == ENDED || this == REFUSED;
    }
}
