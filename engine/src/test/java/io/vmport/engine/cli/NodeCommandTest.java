package io.vmport.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmport node --config FILE} refuses what it cannot run, with exit status 2 and the reason (BI-3). */
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
    void anUnreachableDatabaseIsRefusedWithItsUrl_exit2() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, GOOD);
        Run run = run("node", "--config", file.toString());
        assertEquals(ExitCodes.USAGE, run.status, run.err);
        assertTrue(run.err.contains("cannot start publisher") && run.err.contains("127.0.0.1:1"), run.err);
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
