package io.vmport.engine.mwi;

import io.vmport.sip.MwiNotifier;
import io.vmport.sip.MwiState;
import java.util.Collection;

/** Where the publisher hands the NOTIFYs it decided to send: the SIP adapter's {@link MwiNotifier}, or a fake. */
public interface MwiSender {

    /** Queues one mailbox's newest state (it replaces an unsent older one). */
    void send(MwiState state);

    /** Queues every mailbox's state, paced by the sender (MW-3). */
    void sendAll(Collection<MwiState> states);

    /** Drops whatever is not yet sent: this server stopped being PRIMARY (MW-1). */
    void dropPending();

    /** The SIP adapter's notifier as a sender. */
    static MwiSender of(MwiNotifier notifier) {
        return new MwiSender() {
            @Override
            public void send(MwiState state) {
                notifier.send(state);
            }

            @Override
            public void sendAll(Collection<MwiState> states) {
                notifier.sendAll(states);
            }

            @Override
            public void dropPending() {
                notifier.dropPending();
            }
        };
    }
}
