package io.vmport.sip;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A stand-in for the engine: records every callback in queues that tests block on, and decides each offer
 * with a policy the test sets (answer, refuse, redirect, or nothing, for the test to act itself).
 */
final class TestListener implements SipTrunkListener {

    record Ended(SipCall call, EndReason reason) { }

    final BlockingQueue<SipCall> invites = new LinkedBlockingQueue<>();
    final BlockingQueue<SipCall> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
    volatile boolean takingCalls = true;
    volatile Consumer<SipCall> policy = call -> { };

    /** Answers every call on RTP port 20000 + the call's sequence. */
    static Consumer<SipCall> answerOn(int rtpPort) {
        return call -> call.answer(rtpPort);
    }

    @Override
    public void onInvite(SipCall call) {
        invites.add(call);
        policy.accept(call);
    }

    @Override
    public void onConnected(SipCall call) {
        connected.add(call);
    }

    @Override
    public void onEnded(SipCall call, EndReason reason) {
        ended.add(new Ended(call, reason));
    }

    @Override
    public boolean takingCalls() {
        return takingCalls;
    }

    static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
        T value = queue.poll(10, TimeUnit.SECONDS);
        if (value == null) {
            throw new AssertionError("no " + what + " within 10 s");
        }
        return value;
    }
}
