package io.vmport.loadtest.admin;

import io.vmport.config.ServerName;
import io.vmport.config.db.AlarmRow;
import io.vmport.config.db.CallRecordRow;
import io.vmport.config.db.Database;
import io.vmport.config.db.EmbeddedDatabase;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.engine.admin.AdminBackend;
import io.vmport.engine.admin.AdminServer;
import io.vmport.engine.admin.CallCounts;
import io.vmport.engine.admin.MessageQueries;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.pipeline.ClusterView;
import io.vmport.engine.pipeline.MonitorSnapshot;
import io.vmport.engine.ports.PortPlan;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * The issue-14 aim "message listing for a mailbox with 1,000 messages answers in under 20 ms p99": a scratch
 * embedded MariaDB holding one mailbox with {@code --messages} messages of {@code --audio-bytes} each (and as
 * many again spread over 100 other mailboxes, so the query must pick its own), the real admin server answering
 * {@code GET /api/mailboxes/1001/messages} from {@link MessageQueries} over it, and one client asking
 * {@code --requests} times in a row after a warm-up. Prints the query plan and the latency percentiles.
 *
 * <pre>
 * java -cp ... io.vmport.loadtest.admin.MessageListingBench [--messages 1000] [--audio-bytes 40000] [--requests 2000]
 * </pre>
 */
public final class MessageListingBench {
    private static final String TOKEN = "bench";
    private static final int OTHER_MAILBOXES = 100;

    private MessageListingBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = 1_000;
        int audioBytes = 40_000;
        int requests = 2_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[i + 1]);
                case "--audio-bytes" -> audioBytes = Integer.parseInt(args[i + 1]);
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; allowed: --messages, --audio-bytes, --requests");
            }
        }
        Path dir = Files.createTempDirectory("vmport-listing-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (EmbeddedDatabase embedded = EmbeddedDatabase.start(dir, port);
             Database db = Database.open(embedded.settings())) {
            fill(db, messages, audioBytes);
            explain(db);
            measureQuery(db, requests, messages);
            AdminServer server = new AdminServer("127.0.0.1", 0, TOKEN, new ListingOnly(MessageQueries.of(db)),
                    AdminServer.DEFAULT_ACTION_TIMEOUT_MS).start();
            try {
                measure(server.url() + "/api/mailboxes/1001/messages", requests, messages);
            } finally {
                server.close();
            }
        }
    }

    /** Mailbox 1001 with {@code messages}, and {@value #OTHER_MAILBOXES} others with as many between them. */
    private static void fill(Database db, int messages, int audioBytes) {
        long startNs = System.nanoTime();
        db.mailboxes().create(MailboxRow.of("1001", "Listed"), 1);
        for (int m = 0; m < OTHER_MAILBOXES; m++) {
            db.mailboxes().create(MailboxRow.of(String.valueOf(2000 + m), "Other " + m), 1);
        }
        byte[] audio = new byte[audioBytes];
        for (int i = 0; i < messages; i++) {
            for (String mailbox : List.of("1001", String.valueOf(2000 + i % OTHER_MAILBOXES))) {
                db.messages().insert(new MessageRow(MessageRow.newId(), mailbox, "2" + i, ServerName.PUBLISHER,
                        "sip-" + (i % 8), 1_700_000_000_000L + i * 1_000L, 2_500, i % 3 == 0), audio);
            }
        }
        System.out.printf(Locale.ROOT, "filled: mailbox 1001 with %d messages, %d others with %d between them,"
                + " %d bytes of audio each, in %d ms%n", messages, OTHER_MAILBOXES, messages, audioBytes,
                (System.nanoTime() - startNs) / 1_000_000);
    }

    /** The listing query's plan, as MariaDB chooses it. */
    private static void explain(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement analyze = c.createStatement()) {
            analyze.execute("ANALYZE TABLE message");  // fresh statistics, as a running system has
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN SELECT id, mailbox, caller, server, port, received_at_ms,"
                     + " duration_ms, heard FROM message WHERE mailbox = '1001'"
                     + " ORDER BY received_at_ms DESC, id DESC")) {
            while (rs.next()) {
                System.out.printf("plan: type=%s key=%s rows=%s extra=%s%n", rs.getString("type"),
                        rs.getString("key"), rs.getString("rows"), rs.getString("Extra"));
            }
        }
    }

    private static void measure(String url, int requests, int messages) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).build();
        for (int i = 0; i < 200; i++) {
            check(http.send(request, HttpResponse.BodyHandlers.ofString()), messages);
        }
        Histogram h = new Histogram(60_000_000_000L, 3);
        long bytes = 0;
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            h.recordValue(System.nanoTime() - t0);
            bytes = check(r, messages);
        }
        System.out.printf(Locale.ROOT, "GET %s x %d (%d bytes each): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
                        + " max %.2f ms%n", url, requests, bytes, h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
    }

    /** The repository's listing alone, without HTTP and JSON: what the database's part is. */
    private static void measureQuery(Database db, int requests, int messages) {
        for (int i = 0; i < 200; i++) {
            db.messages().forMailbox("1001");
        }
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            int n = db.messages().forMailbox("1001").size();
            h.recordValue(System.nanoTime() - t0);
            if (n != messages) {
                throw new IllegalStateException("listed " + n + " messages, expected " + messages);
            }
        }
        System.out.printf(Locale.ROOT, "MessageRepository.forMailbox x %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                requests, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    private static long check(HttpResponse<String> r, int messages) {
        if (r.statusCode() != 200 || !r.body().startsWith("{\"messages\":[")) {
            throw new IllegalStateException("listing answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().length();
    }

    /** A backend that answers the mailbox queries only: the listing is all this measures. */
    private record ListingOnly(MessageQueries messageQueries) implements AdminBackend {
        @Override
        public ClusterView clusterView() {
            return null;
        }

        @Override
        public MonitorSnapshot monitorSnapshot() {
            throw new UnsupportedOperationException("listing only");
        }

        @Override
        public PortPlan portPlan() {
            throw new UnsupportedOperationException("listing only");
        }

        @Override
        public List<AlarmRow> alarms(int limit) {
            return List.of();
        }

        @Override
        public List<CallRecordRow> calls(int limit) {
            return List.of();
        }

        @Override
        public CompletableFuture<ActionResult> perform(AdminAction action, ServerName server, boolean force) {
            throw new UnsupportedOperationException("listing only");
        }

        @Override
        public CallCounts callCounts() {
            return CallCounts.NONE;
        }

        @Override
        public long pipelineBacklog() {
            return 0;
        }

        @Override
        public long epochMs(long pipelineNs) {
            return pipelineNs / 1_000_000;
        }

        @Override
        public long nowNs() {
            return System.nanoTime();
        }
    }
}
