package io.vmport.engine.pipeline;

/**
 * What the port monitor shows of a call's conversation (SPEC MD-6), published with
 * {@link PipelineProducer#conversationChanged}.
 *
 * @param conversation the conversation's state, e.g. {@code GREETING}, {@code RECORDING}, {@code MAILBOX},
 *                     {@code OPENING}
 * @param mailbox      the mailbox the call serves, or null while none is known (an opening asking for one)
 */
public record ConversationChange(String conversation, String mailbox) {
    public ConversationChange {
        if (conversation == null || conversation.isEmpty()) {
            throw new IllegalArgumentException("conversation must name a state, was " + conversation
                    + " (mailbox " + mailbox + ")");
        }
    }
}
