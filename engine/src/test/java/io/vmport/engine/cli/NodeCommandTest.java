package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.db.DatabaseSettings;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.LoopbackPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmport node --config FILE} refuses what it cannot run, with exit status 2 and the reason (BI-3); a start-up
 * step that fails says which step, on what address or path, and the root cause (issue 16 item 5: a bound port was
 * once reported as {@code cannot start publisher: null}).
 */
class NodeCommandTest {
    private static final String GOOD = """
            server: publisher
            sip:      { host: 127.0.0.1, port: 5060, allow: [127.0.0.0/8] }
            admin:    { host: 127.0.0.1, port: 8080, token: change-me }
            peer:     { listen: 127.0.0.1:7400, address: 127.0.0.1:7401 }
            database: { url: "jdbc:mysql://127.0.0.1:1/vmport", user: vmport, password: vmport }
            """;

    @TempDir
    Path dir;

    @Test
    void bi3_aBadValueIsRefusedWithTheFieldTheValueAndWhatIsAllowed_exit2() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, GOOD.replace("port: 5060", "port: 70000"));
        Run run = run("node", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("sip.port") && run.err.contains("70000"), run.err);
    }

    @Test
    void bi3_aMissingFileIsRefusedWithItsPath_exit2() throws Exception {
        Path file = dir.resolve("missing.yaml");
        Run run = run("node", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("missing.yaml"), run.err);
    }

    @Test
    void anUnreachableDatabaseIsRefusedWithItsUrlAndTheCause_exit2() throws Exception {
        int nobody = LoopbackPorts.freeTcp();
        String url = "jdbc:mysql://127.0.0.1:" + nobody + "/vmport";
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, GOOD.replace("jdbc:mysql://127.0.0.1:1/vmport", url)
                .replace("password: vmport", "password: s3cret-pw"));
        Run run = run("node", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertStartFailure(run, "database", "127.0.0.1:" + nobody, "refused");
        assertFalse(run.err.contains("s3cret-pw"), run.err);
    }

    @Test
    void anEmbeddedDataDirectoryThatCannotBeMadeIsRefusedWithItsPath_exit2() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        Path data = notADirectory.resolve("data");
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, GOOD.replaceAll("database: .*", "database: { embedded: \"" + data + "\" }"));
        Run run = run("node", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertStartFailure(run, "embedded database", data.toString(), "a-file");
    }

    /** A listening port the test holds, and how the start-up step that needs it is named. */
    enum Held {
        SIP("listening for SIP"), ADMIN("listening for the admin API"), PEER("listening for the peer link");

        final String step;

        Held(String step) {
            this.step = step;
        }
    }

    @ParameterizedTest
    @EnumSource(Held.class)
    void aPortInUseIsRefusedNamingTheStepTheAddressAndTheCause_exit2(Held held) throws Exception {
        // SIP listens on UDP and TCP: holding the UDP port is enough to stop it
        try (DatagramSocket udp = held == Held.SIP ? new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)) : null;
             ServerSocket tcp = held == Held.SIP ? null : new ServerSocket(0, 1, LOOPBACK)) {
            int taken = udp != null ? udp.getLocalPort() : tcp.getLocalPort();
            Run run = runOnTestDatabase(held == Held.SIP ? taken : LoopbackPorts.freeUdpAndTcp(),
                    held == Held.ADMIN ? taken : LoopbackPorts.freeTcp(),
                    held == Held.PEER ? taken : LoopbackPorts.freeTcp());
            assertEquals(ExitCodes.USAGE, run.status, run.err);
            assertStartFailure(run, held.step, "127.0.0.1:" + taken, "address already in use");
        }
    }

    @Test
    void demoRefusesAnUnknownIntegrationWithTheNamesAllowed_exit2() {
        Run run = run("demo", "--integration", "h323");
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("h323") && run.err.contains("sip-trunk"), run.err);
    }

    @Test
    void demoRefusesABadPortCountBeforeStartingAnything_exit2() {
        Run run = run("demo", "--ports", "0");
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("cluster.ports") && run.err.contains("'0'"), run.err);
    }

    /** MW-1: a bad --mwi-target is refused naming the option, the value and the form allowed. */
    @Test
    void demoRefusesAnMwiTargetWithoutPort_exit2() {
        Run run = run("demo", "--mwi-target", "pbx.example.com");
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("--mwi-target") && run.err.contains("'pbx.example.com'")
                && run.err.contains("host:port"), run.err);
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One line naming the node, the step, the address or path, and the cause; never a bare {@code null}. */
    private static void assertStartFailure(Run run, String step, String where, String cause) {
        String line = run.err.lines().filter(l -> l.startsWith("vmport node: cannot start publisher: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no start failure line in: " + run.err));
        assertTrue(line.contains(step), "step '" + step + "' not named: " + line);
        assertTrue(line.contains(where), "'" + where + "' not named: " + line);
        assertTrue(line.toLowerCase(java.util.Locale.ROOT).contains(cause), "cause '" + cause + "' not named: " + line);
        assertFalse(line.contains("null"), line);
    }

    /** Starts the node on a fresh test database with these ports; the one the test holds makes it fail. */
    private Run runOnTestDatabase(int sipPort, int adminPort, int peerPort) throws IOException {
        DatabaseSettings db = TestDatabase.freshDatabase();
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, GOOD
                .replace("port: 5060", "port: " + sipPort)
                .replace("port: 8080", "port: " + adminPort)
                .replace("127.0.0.1:7400", "127.0.0.1:" + peerPort)
                .replace("127.0.0.1:7401", "127.0.0.1:" + LoopbackPorts.freeTcp())
                .replaceAll("database: .*", "database: { url: \"" + db.jdbcUrl() + "\", user: " + db.user()
                        + ", password: \"" + db.password() + "\" }")
                + "cluster: { integration: sip-trunk, ports: 4 }\n");
        return run("node", "--config", file.toString());
    }

    private record Run(int status, String err) {
    }

    private static Run run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int status = VmportMain.execute(args);
            return new Run(status, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
