package io.vmport.engine.pipeline;

import io.vmport.config.ServerName;
import io.vmport.engine.routing.RefuseCause;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call as an adapter would hold it: its reply handle records what the pipeline told it and hands itself to
 * its producer's inbox (a producer never publishes from the reply thread).
 */
class TestCall implements CallReply {
    enum Reply { ANSWER, REDIRECT, REFUSE }

    final String callId;
    final ServerName landedOn;
    private final Queue<TestCall> inbox;
    private final PortBooks books;
    final AtomicInteger replies = new AtomicInteger();
    final AtomicInteger hangUps = new AtomicInteger();
    volatile Reply reply;
    volatile int port = -1;
    volatile ServerName redirectedTo;
    volatile RefuseCause cause;
    /** What the producer did with it, for checking the record. */
    volatile boolean connected;

    TestCall(String callId, ServerName landedOn, Queue<TestCall> inbox, PortBooks books) {
        this.callId = callId;
        this.landedOn = landedOn;
        this.inbox = inbox;
        this.books = books;
    }

    @Override
    public void answer(int portIndex) {
        if (books != null) {
            books.take(portIndex, this);
        }
        port = portIndex;
        reply = Reply.ANSWER;
        done();
    }

    @Override
    public void redirect(ServerName to) {
        redirectedTo = to;
        reply = Reply.REDIRECT;
        done();
    }

    @Override
    public void refuse(RefuseCause why) {
        cause = why;
        reply = Reply.REFUSE;
        done();
    }

    @Override
    public void hangUp() {
        hangUps.incrementAndGet();
    }

    private void done() {
        replies.incrementAndGet();
        if (inbox != null) {
            inbox.add(this);
        }
    }

    @Override
    public String toString() {
        return callId;
    }
}
