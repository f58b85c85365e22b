package io.vmport.loadtest.sipp;

import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A bare JAIN-SIP user-agent server, the reference issue 5 compares the trunk with: it answers each INVITE with
 * 200 OK straight away (no 100, no 180, no SDP, no engine) and each BYE with 200 OK, on UDP. With {@code --tuned}
 * it takes the properties the issue lists (8 KiB messages, re-entrant listener with a small pool, aggressive
 * cleanup with released references, a short linger, room for many transactions, 4 MiB socket buffers); without,
 * the stack's defaults. Measured beside {@link TrunkOnly} and the demo under the same SIPp load, it shows what the
 * stack itself costs per call on this machine. Loopback only; stops on SIGINT/SIGTERM.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp loadtest/target/benchmarks.jar io.vmport.loadtest.sipp.BareJainSipUas [--port 5080] [--tuned]
 * </pre>
 */
public final class BareJainSipUas implements SipListener {
    private final MessageFactory messages;
    private final LongAdder answered = new LongAdder();
    private SipProvider provider;
    /** The one Contact every 200 to an INVITE carries, made once. */
    private ContactHeader contact;

    private BareJainSipUas(MessageFactory messages) {
        this.messages = messages;
    }

    public static void main(String[] args) throws Exception {
        int port = 5080;
        boolean tuned = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--tuned" -> tuned = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: BareJainSipUas [--port N] [--tuned]");
            }
        }
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipStack stack = factory.createSipStack(properties(tuned));
        BareJainSipUas uas = new BareJainSipUas(factory.createMessageFactory());
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
        uas.provider = stack.createSipProvider(lp);
        uas.provider.addSipListener(uas);
        uas.contact = factory.createHeaderFactory().createContactHeader(
                factory.createAddressFactory().createAddress("sip:uas@127.0.0.1:" + port));
        stack.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            System.out.printf("bare-uas: %d calls answered%n", uas.answered.sum());
            stopped.countDown();
        }));
        System.out.printf("bare-uas: SIP on 127.0.0.1:%d (UDP), %s properties, answering every call%n", port,
                tuned ? "tuned" : "default");
        stopped.await();
    }

    private static Properties properties(boolean tuned) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "bare-uas");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "OFF");
        if (tuned) {
            p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "8192");
            p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
            p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
            p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
            p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "2");
            p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "200000");
            p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(4 << 20));
            p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(4 << 20));
        }
        return p;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return;
        }
        try {
            ServerTransaction tx = event.getServerTransaction();
            if (tx == null) {
                tx = provider.getNewServerTransaction(request);
            }
            Response ok = messages.createResponse(Response.OK, request);
            if (Request.INVITE.equals(method)) {
                ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
                ok.addHeader((ContactHeader) contact.clone());
                answered.increment();
            }
            tx.sendResponse(ok);
        } catch (Exception e) {
            System.err.println("bare-uas: " + method + " not answered: " + e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
