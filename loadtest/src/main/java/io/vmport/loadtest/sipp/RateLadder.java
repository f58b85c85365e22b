package io.vmport.loadtest.sipp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SIP trunk rate ladder (issue 5, Performance): SIPp's built-in {@code uac} ({@code -sn uac}, hold {@code -d}) at
 * rising rates against a target, step by step, beside the same ladder against {@code sipp -sn uas} on loopback in
 * the same run (the baseline: what this machine's SIPp can do against itself). Per step: offered rate, successful
 * calls/s (SuccessfulCall over SIPp's elapsed time), failed calls, calls left unfinished when the step's time bound
 * ran out; then the highest rate with zero failed (and zero unfinished) calls for each target. Optionally an
 * overload step at twice the target's zero-failure rate, reporting goodput.
 *
 * <p>Every SIPp run is bounded: {@code -m rate*seconds} calls and {@code -timeout seconds+grace}; the baseline UAS
 * is started here and killed by its PID in a finally. Loopback only. A warm-up step at the first rate (not counted)
 * goes before the ladder, and each step is followed by a short settle time so that what one step left behind does
 * not count against the next; the two ladders alternate step by step so that both see the same machine.
 *
 * <pre>
 * java -cp loadtest/target/classes io.vmport.loadtest.sipp.RateLadder --target 127.0.0.1:5060 \
 *     [--rates 500,1000,2000] [--seconds 10] [--hold-ms 0] [--overload-seconds 30] [--work /tmp/ladder] [--no-baseline]
 *     [--warmup-seconds 10] [--settle-ms 3000]
 * </pre>
 */
public final class RateLadder {
    private static final int GRACE_SECONDS = 20;

    record Step(String target, int rate, int seconds, long offered, long successful, long failed, long unfinished,
                double elapsedSeconds, int exitCode) {
        double goodput() {
            return elapsedSeconds > 0 ? successful / elapsedSeconds : 0;
        }

        boolean clean() {
            return failed == 0 && unfinished == 0 && successful == offered;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %,d | %d s | %,d | %,d | %,.0f | %,d | %,d | %d |", target, rate,
                    seconds, offered, successful, goodput(), failed, unfinished, exitCode);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        String target = opt.getOrDefault("--target", "127.0.0.1:5060");
        List<Integer> rates = new ArrayList<>();
        for (String r : opt.getOrDefault("--rates", "500,1000,2000,3000,4000,5000,6000").split(",")) {
            rates.add(Integer.parseInt(r.trim()));
        }
        int seconds = Integer.parseInt(opt.getOrDefault("--seconds", "10"));
        int holdMs = Integer.parseInt(opt.getOrDefault("--hold-ms", "0"));
        int overloadSeconds = Integer.parseInt(opt.getOrDefault("--overload-seconds", "0"));
        boolean baseline = !opt.containsKey("--no-baseline");
        int warmupSeconds = Integer.parseInt(opt.getOrDefault("--warmup-seconds", "10"));
        long settleMs = Long.parseLong(opt.getOrDefault("--settle-ms", "3000"));
        Path work = Path.of(opt.getOrDefault("--work", "/tmp/rate-ladder-" + System.currentTimeMillis()));
        Files.createDirectories(work);
        String[] hp = target.split(":");
        String host = hp[0];
        int port = Integer.parseInt(hp[1]);
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("--target must be on loopback: " + target);
        }

        System.out.printf("rate ladder %s: target %s, rates %s, %d s a step, hold %d ms, baseline %s, work %s%n",
                Instant.now(), target, rates, seconds, holdMs, baseline ? "sipp -sn uas" : "none", work);
        Process uas = null;
        int uasPort = 0;
        List<Step> steps = new ArrayList<>();
        try {
            if (baseline) {
                uasPort = freeUdp();
                int uasBound = (rates.size() * 2 * (seconds + GRACE_SECONDS)) + overloadSeconds * 2 + 120;
                List<String> cmd = List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", Integer.toString(uasPort),
                        "-nostdin", "-timeout", uasBound + "s");
                uas = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(work.resolve("uas-out.log").toFile()).start();
                System.out.println("baseline: " + String.join(" ", cmd) + " (pid " + uas.pid() + ")");
                Thread.sleep(500); // let the UAS bind before the first step (a process start, not state)
                if (!uas.isAlive()) {
                    throw new IllegalStateException("sipp -sn uas exited at once; see " + work.resolve("uas-out.log"));
                }
            }
            if (warmupSeconds > 0) {
                // JIT and pools of the target warm before the first measured step; reported, not counted
                Step w = step("vmport-warmup", host, port, rates.get(0), warmupSeconds, holdMs, work);
                System.out.println(w.row());
                Thread.sleep(settleMs);
            }
            boolean vmportDone = false;
            boolean uasDone = !baseline;
            int vmportFailing = 0;
            int uasFailing = 0;
            for (int rate : rates) {
                if (!vmportDone) {
                    Step s = step("vmport", host, port, rate, seconds, holdMs, work);
                    steps.add(s);
                    System.out.println(s.row());
                    vmportFailing = s.clean() ? 0 : vmportFailing + 1;
                    vmportDone = vmportFailing >= 2; // two failing steps in a row: past its limit
                    Thread.sleep(settleMs); // let the target finish what the step left before the next one
                }
                if (!uasDone) {
                    Step s = step("sipp-uas", "127.0.0.1", uasPort, rate, seconds, holdMs, work);
                    steps.add(s);
                    System.out.println(s.row());
                    uasFailing = s.clean() ? 0 : uasFailing + 1;
                    uasDone = uasFailing >= 2;
                    Thread.sleep(settleMs);
                }
            }
            int vmportBest = best(steps, "vmport");
            int uasBest = best(steps, "sipp-uas");
            if (overloadSeconds > 0 && vmportBest > 0) {
                Step s = step("vmport-overload", host, port, 2 * vmportBest, overloadSeconds, holdMs, work);
                steps.add(s);
                System.out.println(s.row());
            }
            System.out.println();
            System.out.println("| target | offered calls/s | step | calls offered | successful | successful calls/s "
                    + "| failed | unfinished | sipp exit |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (Step s : steps) {
                System.out.println(s.row());
            }
            System.out.println();
            System.out.println("highest rate with zero failed calls: vmport " + vmportBest + " calls/s (every step "
                    + "clean up to " + bestUnbroken(steps, "vmport") + ")"
                    + (baseline ? ", sipp -sn uas " + uasBest + " calls/s (every step clean up to "
                    + bestUnbroken(steps, "sipp-uas") + ")" : "")
                    + (baseline && uasBest > 0 ? String.format(Locale.ROOT, " (vmport / uas = %.2f)",
                    (double) vmportBest / uasBest) : ""));
        } finally {
            if (uas != null) {
                long pid = uas.pid();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                if (!uas.waitFor(5, TimeUnit.SECONDS)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** The highest rate whose step was clean (zero failed, zero unfinished); 0 when none. */
    private static int best(List<Step> steps, String target) {
        int best = 0;
        for (Step s : steps) {
            if (s.target().equals(target) && s.clean()) {
                best = Math.max(best, s.rate());
            }
        }
        return best;
    }

    /** The highest rate up to which every step was clean; 0 when the first was not. */
    private static int bestUnbroken(List<Step> steps, String target) {
        int best = 0;
        for (Step s : steps) {
            if (!s.target().equals(target)) {
                continue;
            }
            if (!s.clean()) {
                break;
            }
            best = s.rate();
        }
        return best;
    }

    static Step step(String name, String host, int port, int rate, int seconds, int holdMs, Path work)
            throws IOException, InterruptedException {
        int calls = rate * seconds;
        SippRun run = new SippRun(host, port).builtin("uac").name(name + "-" + rate).service("ladder")
                .calls(calls).rate(rate).limit(Math.max(rate * 2, 1_000)).holdMs(holdMs)
                .timeoutSeconds(seconds + GRACE_SECONDS);
        SippRun.Result r = run.run(work);
        long ok = Math.max(0, r.successful());
        long failed = Math.max(0, r.failed());
        double elapsed = r.wallSeconds(); // SIPp's ElapsedTime(C) has whole seconds only; this is start to exit
        return new Step(name, rate, seconds, calls, ok, failed, Math.max(0, calls - ok - failed), elapsed,
                r.exitCode());
    }

    private static int freeUdp() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-baseline")) {
                m.put(args[i], "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                m.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return m;
    }
}
