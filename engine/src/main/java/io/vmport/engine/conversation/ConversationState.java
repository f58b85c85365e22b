package io.vmport.engine.conversation;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a call's conversation stands (SPEC MD-6). The port monitor shows the four SPEC names of a busy port;
 * {@link #IDLE}, {@link #GOODBYE} and {@link #ENDED} are the conversation's own.
 */
public enum ConversationState {
    /** Created, {@link Conversation#start} not yet called. */
    IDLE,
    /** Any other caller: the opening greeting asks for an extension (MD-3). */
    OPENING,
    /** A forwarded call: the mailbox's greeting, then the beep (MD-3). */
    GREETING,
    /** A message is being recorded (MD-4). */
    RECORDING,
    /** The mailbox owner's conversation: counts, then each message (MD-3). */
    MAILBOX,
    /** The last prompts play; the conversation hangs up when they end. */
    GOODBYE,
    /** Over: hung up by either side. Every later event is ignored. */
    ENDED;

    /** The states this one may move to; {@link Conversation} refuses any other change. */
    Set<ConversationState> next() {
        return switch (this) {
            case IDLE -> EnumSet.of(OPENING, GREETING, MAILBOX, ENDED);
            case OPENING -> EnumSet.of(GREETING, GOODBYE, ENDED);
            case GREETING -> EnumSet.of(RECORDING, ENDED);
            case RECORDING -> EnumSet.of(GOODBYE, ENDED);
            case MAILBOX -> EnumSet.of(GOODBYE, ENDED);
            case GOODBYE -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(ConversationState.class);
        };
    }
}
