package io.vmport.loadtest.failover;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each call's set-up time, first INVITE seen to first 200 to that INVITE seen, from a loopback capture of the
 * callee's SIP port, to the microsecond (the capture's timestamps), read back with {@code tshark -r}. tshark prints
 * one line per SIP packet whose CSeq method is INVITE:
 * <pre>
 *   frame.time_epoch ; sip.Call-ID ; sip.Method ; sip.Status-Code
 *   1796310000.123456789;1-123@127.0.0.1;INVITE;        (the request: Method set, no status)
 *   1796310000.124001234;1-123@127.0.0.1;;100           (a provisional answer: ignored)
 *   1796310000.125733210;1-123@127.0.0.1;;200           (the answer: set-up = 1.276 ms)
 * </pre>
 * Retransmissions are ignored (the first of each is kept), so an INVITE retransmitted after Timer A counts from its
 * first copy, as the caller sees it.
 */
final class SetupTimes {

    /** One call: when its first INVITE was seen and how long until its first 200, both in microseconds. */
    record Call(long startedUs, long setupUs) {
    }

    private SetupTimes() {
    }

    /** The calls of {@code pcap} whose INVITE and 200 were both captured; {@code sipPort} is decoded as SIP. */
    static List<Call> read(Path pcap, int sipPort) throws IOException, InterruptedException {
        Path out = pcap.resolveSibling(pcap.getFileName() + ".invite.txt");
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-d", "udp.port==" + sipPort + ",sip",
                "-Y", "sip.CSeq.method == \"INVITE\"", "-T", "fields", "-E", "separator=;",
                "-e", "frame.time_epoch", "-e", "sip.Call-ID", "-e", "sip.Method", "-e", "sip.Status-Code")
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("tshark -r " + pcap + " did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("tshark -r " + pcap + " failed: exit " + p.exitValue());
        }
        return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
    }

    /** The calls in tshark's lines (format above), in the order their INVITEs were first seen. */
    static List<Call> parse(List<String> lines) {
        Map<String, Long> inviteUs = new HashMap<>();
        Map<String, Long> answeredUs = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(";", -1);
            if (f.length < 4 || f[0].isBlank() || f[1].isBlank()) {
                continue;
            }
            long atUs = new BigDecimal(f[0].trim()).movePointRight(6).longValue();
            String callId = f[1].trim();
            if ("INVITE".equals(f[2].trim())) {
                if (inviteUs.putIfAbsent(callId, atUs) == null) {
                    order.add(callId);
                }
            } else if ("200".equals(f[3].trim())) {
                answeredUs.putIfAbsent(callId, atUs);
            }
        }
        List<Call> calls = new ArrayList<>(order.size());
        for (String callId : order) {
            Long answered = answeredUs.get(callId);
            if (answered != null) {
                long started = inviteUs.get(callId);
                calls.add(new Call(started, answered - started));
            }
        }
        return calls;
    }
}
