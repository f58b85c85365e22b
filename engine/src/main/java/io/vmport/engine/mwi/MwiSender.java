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

    /** NOTIFYs sent, retries included (for {@code /metrics}). */
    default long sent() {
        return 0;
    }

    /** NOTIFYs answered 2xx. */
    default long answered() {
        return 0;
    }

    /** States given up after their last attempt (each raised MwiFailed). */
    default long failed() {
        return 0;
    }

    /** Sends nothing: no MWI target is set. */
    MwiSender NONE = new MwiSender() {
        @Override
        public void send(MwiState state) {
        }

        @Override
        public void sendAll(Collection<MwiState> states) {
        }

        @Override
        public void dropPending() {
        }
    };

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

            @Override
            public long sent() {
                return notifier.sent();
            }

            @Override
            public long answered() {
                return notifier.answered();
            }

            @Override
            public long failed() {
                return notifier.failed();
            }
        };
    }
}
