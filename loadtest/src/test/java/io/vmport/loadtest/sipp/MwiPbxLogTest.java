package io.vmport.loadtest.sipp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MWI receiver's log as the tests read it while SIPp writes it (MW-1, MW-3 are judged from it): each poll reads
 * only what was appended, a line SIPp has not ended yet waits for its end, and SIPp's own lines are skipped.
 */
class MwiPbxLogTest {

    @TempDir
    Path dir;

    @Test
    void mw3_pollsReadOnlyAppendedWholeLines() throws Exception {
        Path log = dir.resolve("pbx-notifies.log");
        MwiPbx pbx = new MwiPbx(null, log, dir.resolve("pbx-errors.log"));
        assertEquals(List.of(), pbx.received(), "no log yet");

        append(log, "2026-12-03\t19:00:00.000000\t1764788400.000100;127.0.0.1:5062;1001;2/0\n"
                + "sipp: some line of its own\n"
                + "2026-12-03\t19:00:00.000200\t1764788400.000200;127.0.0.1:5064;1002;0/1\n"
                + "2026-12-03\t19:00:00.000300\t1764788400.00");
        assertEquals(2, pbx.received().size(), "the line being written is not read yet");
        assertEquals(1, pbx.countFrom("127.0.0.1:5062"));

        append(log, "0300;127.0.0.1:5062;1003;1/4\n");
        List<MwiPbx.Notify> all = pbx.received();
        assertEquals(3, all.size());
        assertEquals(new MwiPbx.Notify(1_764_788_400_000_300L, "127.0.0.1:5062", "1003", 1, 4), all.get(2),
                "the line ended in a later write");
        assertEquals(2, pbx.countFrom("127.0.0.1:5062"));
        assertEquals(1, pbx.from("127.0.0.1:5064").size());
        assertEquals("0/1", pbx.from("127.0.0.1:5064").get(0).counts());
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
