package io.vmport.loadtest.sipp;

import io.vmport.loadtest.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SIPp as the PBX's MWI receiver ({@code sipp/mwi-pbx.xml}): takes every unsolicited NOTIFY sent to
 * {@code host:port}, checks its Event, Content-Type and body by regular expression, answers the status line it was
 * given ({@code "SIP/2.0 200 OK"}, {@code "SIP/2.0 403 Forbidden"}...), and logs each one; {@link #received} reads
 * that log. Runs until {@link #close}, which kills it by its PID.
 */
public final class MwiPbx implements AutoCloseable {
    /** The receiver's log line: {@code DATE<tab>TIME<tab>EPOCH_S.US;sender host:port;extension;new/old}. */
    private static final Pattern LINE = Pattern.compile("(\\d+)\\.(\\d{6});([^;]+);(\\d+);(\\d+)/(\\d+)\\s*$");

    /**
     * One NOTIFY as the receiver logged it.
     *
     * @param atUs   when it arrived, microseconds since the epoch
     * @param sender the Via's {@code host:port}: the sending server's SIP address
     */
    public record Notify(long atUs, String sender, String extension, int newMessages, int oldMessages) {
        /** {@code new/old}, as in the body's Voice-Message line. */
        public String counts() {
            return newMessages + "/" + oldMessages;
        }
    }

    private final Process process;
    private final Path log;
    private final Path errors;
    /** The log as parsed so far: its whole lines, the bytes read and the line not ended yet. */
    private final List<Notify> notifies = new ArrayList<>();
    private final Map<String, Integer> countBySender = new HashMap<>();
    private long logBytesRead;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    MwiPbx(Process process, Path log, Path errors) {
        this.process = process;
        this.log = log;
        this.errors = errors;
    }

    /**
     * Starts SIPp listening on UDP {@code host:port}; its files go to {@code work} as {@code name-*}.
     *
     * @param statusLine the answer to every NOTIFY, e.g. {@code "SIP/2.0 200 OK"}
     */
    public static MwiPbx start(String host, int port, String statusLine, Path work, String name) throws IOException {
        Files.createDirectories(work);
        Path scenario = work.resolve("mwi-pbx.xml");
        try (InputStream in = MwiPbx.class.getResourceAsStream("/sipp/mwi-pbx.xml")) {
            if (in == null) {
                throw new IllegalStateException("no resource sipp/mwi-pbx.xml on the class path");
            }
            Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = work.resolve(name + "-notifies.log");
        Path errors = work.resolve(name + "-errors.log");
        Files.deleteIfExists(log);
        Files.deleteIfExists(errors);
        List<String> command = List.of("sipp", "-sf", scenario.toString(), "-key", "status_line", statusLine,
                "-i", host, "-p", Integer.toString(port), "-t", "u1", "-nostdin",
                "-trace_logs", "-log_file", log.toString(), "-trace_err", "-error_file", errors.toString());
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new MwiPbx(p, log, errors);
    }

    /**
     * Every NOTIFY logged so far, in arrival order. Reads only what SIPp appended since the last call (a test polls
     * this while the NOTIFYs arrive: reading the whole log each time cost the harness's JVM 0.6 of a core in the
     * MWI burst benchmark, on the cores the nodes under test share).
     */
    public synchronized List<Notify> received() {
        readAppended();
        return List.copyOf(notifies);
    }

    private void readAppended() {
        if (!Files.exists(log)) {
            return;
        }
        try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            in.position(logBytesRead);
            int n;
            while ((n = in.read(buffer)) > 0) {
                logBytesRead += n;
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        parse(pending.toString(StandardCharsets.ISO_8859_1));
                        pending.reset();
                    } else {
                        pending.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the MWI receiver's log " + log + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many NOTIFYs {@code sender} ({@code host:port}) sent so far: for a poll while they arrive, without a copy
     * of them all.
     */
    public synchronized int countFrom(String sender) {
        readAppended();
        return countBySender.getOrDefault(sender, 0);
    }

    /** One whole line of the log; lines that are not a NOTIFY's (SIPp's own) are skipped. */
    private void parse(String line) {
        Matcher m = LINE.matcher(line);
        if (m.find()) {
            notifies.add(new Notify(Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2)),
                    m.group(3), m.group(4), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))));
            countBySender.merge(m.group(3), 1, Integer::sum);
        }
    }

    /** The NOTIFYs logged so far from {@code sender} ({@code host:port}). */
    public List<Notify> from(String sender) {
        return received().stream().filter(n -> n.sender().equals(sender)).toList();
    }

    /** SIPp's error log: a NOTIFY that failed a check is here ("Failed regexp match..."); "" when none. */
    public String errors() {
        try {
            return Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + errors + ": " + e.getMessage() + ")";
        }
    }

    /** Whether SIPp is still running (it exits at once on a bad argument or a port in use). */
    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Stops SIPp by its PID. */
    @Override
    public void close() {
        Processes.stop(process, 5);
    }
}
