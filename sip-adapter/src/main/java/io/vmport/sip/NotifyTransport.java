package io.vmport.sip;

/** Sends one MWI NOTIFY and reports its final outcome once; the SIP stack in production, a fake in tests. */
interface NotifyTransport {

    /** Told the final outcome of one NOTIFY, once: its final status code, or 0 for no answer. */
    interface Completion {
        void completed(int statusCode, String outcome);
    }

    /**
     * Starts the NOTIFY for {@code state}; {@code done} is called later from another thread.
     *
     * @throws Exception when it cannot be sent at all (then {@code done} is never called)
     */
    void send(MwiState state, Completion done) throws Exception;
}
