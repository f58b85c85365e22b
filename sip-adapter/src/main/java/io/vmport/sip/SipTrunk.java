package io.vmport.sip;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP trunk user-agent server: listens on UDP and/or TCP, hands offered calls to a {@link SipTrunkListener},
 * and answers everything else itself (OPTIONS, CANCEL, BYE, bad requests). Knows nothing of the engine.
 *
 * <p>Starts once and stops once. The JAIN-SIP stack is built directly (not through {@code SipFactory}, which
 * keeps every stack by name for the life of the JVM), so two trunks can run in one JVM and a stopped one
 * leaves nothing behind.
 */
public final class SipTrunk implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipTrunk.class);

    private enum Lifecycle { NEW, RUNNING, STOPPED }

    private final SipTrunkSettings settings;
    private final SipTrunkListener listener;
    private final TrunkCounters counters = new TrunkCounters();
    private Lifecycle lifecycle = Lifecycle.NEW;
    private SipStackImpl stack;
    private SipProvider provider;
    private HeaderFactoryImpl headers;
    private AddressFactoryImpl addresses;
    private String contactHost;
    private final List<MwiNotifier> notifiers = new ArrayList<>(1);
    private NotifyTransactions notifies;
    private int udpPort;
    /** The stack's event scanner thread, ended by {@link #stop}; null when it could not be told apart. */
    private Thread eventScanner;

    private final Properties overrides;
    private final LongSupplier clockNs;

    public SipTrunk(SipTrunkSettings settings, SipTrunkListener listener) {
        this(settings, listener, new Properties());
    }

    /** With stack properties that override the trunk's own (tests shorten the stack's timers this way). */
    SipTrunk(SipTrunkSettings settings, SipTrunkListener listener, Properties overrides) {
        this(settings, listener, overrides, System::nanoTime);
    }

    /** As above, with the clock the overload guard reads (tests step it). */
    SipTrunk(SipTrunkSettings settings, SipTrunkListener listener, Properties overrides, LongSupplier clockNs) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.overrides = overrides;
        this.clockNs = Objects.requireNonNull(clockNs, "clockNs");
    }

    /**
     * Binds the trunk's sockets and starts taking requests.
     *
     * @throws IOException           when a transport cannot listen (address in use, not local, ...)
     * @throws IllegalStateException when called twice
     */
    public synchronized void start() throws IOException {
        if (lifecycle != Lifecycle.NEW) {
            throw new IllegalStateException("sip trunk " + where() + " is " + lifecycle + ": start() runs once");
        }
        SipStackImpl s = null;
        try {
            Properties properties = StackProperties.of(settings);
            properties.putAll(overrides);
            Set<Thread> scannersBefore = EventScannerThread.running();
            TrunkStack trunkStack = new TrunkStack(properties);
            s = trunkStack;
            eventScanner = EventScannerThread.startedSince(scannersBefore);
            StrictRequestParser.install(s, counters);
            StackWarmUp.runAtStart(where()); // before the trunk listens: its first calls find the path compiled
            OverloadGuard guard = new OverloadGuard(settings.overloadTargetMs(), clockNs);
            NewCallAdmission admission = new NewCallAdmission(settings, s, counters, guard);
            NotifyTransactions transactions = new NotifyTransactions(clockNs);
            notifies = transactions;
            trunkStack.useNetworkLayer(new TrunkSocket.Layer(() -> new ArrivalGate(settings, trunkStack, counters,
                    admission, transactions), transactions::useSocket));
            headers = new HeaderFactoryImpl();
            addresses = new AddressFactoryImpl();
            provider = null;
            List<ListeningPoint> listening = new ArrayList<>(2);
            for (SipTransport transport : SipTransport.values()) {
                if (!settings.transports().contains(transport)) {
                    continue;
                }
                ListeningPoint lp = s.createListeningPoint(settings.host(), settings.port(),
                        transport.name().toLowerCase(Locale.ROOT));
                listening.add(lp);
                if (transport == SipTransport.UDP) {
                    udpPort = lp.getPort();
                }
                if (provider == null) {
                    provider = s.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            String host = settings.host();
            contactHost = host.equals("0.0.0.0") || host.equals("::") ? settings.mediaAddress() : host;
            Responder responder = new Responder(provider, headers, addresses, counters, contactHost,
                    settings.port(), settings.retryAfterSeconds());
            TrunkCalls calls = new TrunkCalls(listener, responder, headers, guard, settings.mediaAddress());
            provider.addSipListener(new TrunkDispatcher(listener, responder, calls, settings));
            s.sipMessageValves.add(new TrunkGate(settings, s, responder, admission));
            s.start();
            UdpStartup.awaitThreads(listening, settings.threadPoolSize());
        } catch (Exception e) {
            if (s != null) {
                s.stop();
                endEventScanner();
            }
            lifecycle = Lifecycle.STOPPED;
            throw new IOException("sip trunk " + where() + ": cannot start: " + e.getMessage(), e);
        }
        stack = s;
        lifecycle = Lifecycle.RUNNING;
        LOG.info("sip trunk listening on {} (max {} calls, {} server transactions, {} threads)", where(),
                settings.maxCalls(), settings.maxServerTransactions(), settings.threadPoolSize());
    }

    /**
     * A notifier that sends unsolicited MWI NOTIFYs from this trunk's UDP socket, to {@code settings}' target
     * (SPEC MW-1, MW-2), as transactions of the trunk's {@link NotifyTransactions}, not of its stack. It stops with
     * the trunk, or earlier by its own close(). Answers to it are taken only from the trunk's allowed sources, so
     * the target must be one.
     *
     * @throws IllegalStateException when the trunk is not running or has no UDP transport
     */
    public synchronized MwiNotifier mwiNotifier(MwiSettings settings, MwiListener listener) {
        if (lifecycle != Lifecycle.RUNNING) {
            throw new IllegalStateException("sip trunk " + where() + " is " + lifecycle + ": start it before MWI");
        }
        if (!this.settings.transports().contains(SipTransport.UDP)) {
            throw new IllegalStateException("mwi to " + settings.targetHost() + ":" + settings.targetPort()
                    + ": the trunk " + where() + " does not listen on UDP, which MWI NOTIFYs are sent over");
        }
        MwiNotifier notifier = new MwiNotifier(settings, listener, new SipNotifyTransport(notifies, contactHost,
                udpPort, settings), clockNs);
        notifiers.add(notifier);
        return notifier;
    }

    /** Closes the sockets and stops the stack's threads. Calls in progress are dropped without BYE. */
    public synchronized void stop() {
        notifiers.forEach(MwiNotifier::close);
        notifiers.clear();
        if (notifies != null) {
            notifies.close();
        }
        if (lifecycle == Lifecycle.RUNNING) {
            try {
                stack.stop();
                endEventScanner();
                LOG.info("sip trunk {} stopped: {}", where(), counters);
            } catch (RuntimeException e) {
                LOG.warn("sip trunk {}: the stack failed while stopping: {}", where(), e.toString(), e);
            }
            stack = null;
        }
        lifecycle = Lifecycle.STOPPED;
    }

    @Override
    public void close() {
        stop();
    }

    /** After the stack's stop: its event scanner thread would wait for ever otherwise ({@link EventScannerThread}). */
    private void endEventScanner() {
        if (eventScanner != null) {
            eventScanner.interrupt();
            eventScanner = null;
        }
    }

    public synchronized boolean isRunning() {
        return lifecycle == Lifecycle.RUNNING;
    }

    /** The trunk's running totals. */
    public TrunkCounters counters() {
        return counters;
    }

    public SipTrunkSettings settings() {
        return settings;
    }

    /**
     * What the stack holds in memory now: server and client transactions and dialogs (all 0 when not running).
     * Counting dialogs copies the stack's table: for checks and reports, not for every call.
     */
    public synchronized StackTables stackTables() {
        SipStackImpl s = stack;
        if (s == null) {
            return new StackTables(0, 0, 0);
        }
        return new StackTables(s.getServerTransactionTableSize(), s.getClientTransactionTableSize(),
                s.getDialogs().size());
    }

    /** Sizes of the stack's tables, see {@link #stackTables()}. */
    public record StackTables(int serverTransactions, int clientTransactions, int dialogs) {
    }

    /** The JAIN-SIP stack with the trunk's network layer (its UDP socket sees each datagram first). */
    private static final class TrunkStack extends SipStackImpl {
        TrunkStack(Properties properties) throws PeerUnavailableException {
            super(properties);
        }

        /** Must be called before any listening point is made. */
        void useNetworkLayer(NetworkLayer layer) {
            this.networkLayer = layer;
        }
    }

    @Override
    public String toString() {
        return "SipTrunk[" + where() + " " + lifecycle + ", " + counters + "]";
    }

    private String where() {
        return settings.host() + ":" + settings.port() + " " + settings.transports();
    }
}
