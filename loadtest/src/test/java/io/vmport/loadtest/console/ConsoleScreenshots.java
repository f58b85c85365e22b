package io.vmport.loadtest.console;

import static io.vmport.loadtest.console.ConsolePair.PUBLISHER;
import static io.vmport.loadtest.console.ConsolePair.SUBSCRIBER;
import static io.vmport.loadtest.console.ConsolePair.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.testing.LoopbackPorts;
import io.vmport.loadtest.SippCluster;
import io.vmport.loadtest.sipp.SippRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;

/**
 * The README's pictures of the console, on demand: {@code mvn -B -q -o -pl loadtest -am test
 * -Dtest=ConsoleScreenshots -Dsurefire.failIfNoSpecifiedTests=false -Dvmport.screenshots=$PWD/docs/console}.
 * A 16-port pair (the demo's size) with mailboxes, a message left by SIPp and calls held on both servers (20 s: under the 30 s media timeout, MD-5, since SIPp sends no RTP); then the
 * sign-in form, Cluster Management, Port Monitor, Alarms and Mailboxes at 1280 x 800, and Cluster Management at a
 * phone's 390 px width.
 */
@EnabledIfSystemProperty(named = "vmport.screenshots", matches = ".+")
class ConsoleScreenshots {
    private static final int PORTS = 16;

    @Test
    void pagesOfTheConsole() throws Exception {
        ConsoleBrowser.requireChromiumOrSkip();
        SippCluster.requireSippOrSkip();
        Path out = Path.of(System.getProperty("vmport.screenshots")).toAbsolutePath();
        Path work = Path.of("target", "console-screenshots").toAbsolutePath();
        ExecutorService background = Executors.newFixedThreadPool(2);
        try (ConsolePair pair = ConsolePair.start(work, PORTS);
             ConsoleBrowser browser = ConsoleBrowser.start(1280, 800, work)) {
            for (int ext = 1001; ext <= 1004; ext++) {
                assertEquals(201, pair.postJson("/api/mailboxes", "{\"extension\":\"" + ext
                        + "\",\"name\":\"Mailbox " + ext + "\"}").statusCode(), "mailbox " + ext);
            }
            // two messages for 1001: forwarded calls that wait for the greeting and speak g711a.pcap
            SippRun.Result messages = pair.sipp(PUBLISHER, "voice-message.xml").service("5000").calls(2).limit(1)
                    .holdMs(6_000).timeoutSeconds(90).extra("-mp", Integer.toString(LoopbackPorts.freeUdpAndTcp()))
                    .run(work.resolve("sipp"));
            assertTrue(messages.successful() > 0, "a message left: " + messages);

            browser.open(pair.pageUrl(PUBLISHER));
            browser.await("the sign-in form", d -> browser.visible("form#signin"));
            browser.screenshot(out.resolve("signin.png"));
            browser.signIn(TOKEN);

            Future<SippRun.Result> onPublisher = background.submit(() -> pair.sipp(PUBLISHER, "basic-call.xml")
                    .service("answer").calls(5).rate(10).holdMs(20_000).timeoutSeconds(60).run(work.resolve("sipp")));
            Future<SippRun.Result> onSubscriber = background.submit(() -> pair.sipp(SUBSCRIBER, "basic-call.xml")
                    .service("answer").calls(3).rate(10).holdMs(20_000).timeoutSeconds(60).run(work.resolve("sipp")));
            browser.page("cluster");
            browser.awaitField(PUBLISHER, "callsInProgress", "5");
            browser.awaitField(SUBSCRIBER, "callsInProgress", "3");
            browser.screenshot(out.resolve("cluster.png"));

            browser.page("ports");
            browser.await("8 ports IN_CALL", d -> d.findElements(By.cssSelector(
                    "table#ports tbody tr[data-state=IN_CALL]")).size() == 8);
            browser.screenshot(out.resolve("ports.png"));

            browser.page("alarms");
            browser.await("alarms listed", d -> !d.findElements(By.cssSelector("table#alarms tbody tr")).isEmpty());
            browser.screenshot(out.resolve("alarms.png"));

            browser.page("mailboxes");
            browser.await("mailbox 1001 listed", d -> browser.visible("table#mailboxes tbody tr[data-mailbox='1001']"));
            browser.driver.findElement(By.cssSelector("table#mailboxes tbody tr[data-mailbox='1001']")).click();
            browser.await("1001's messages", d -> !d.findElements(By.cssSelector("table#messages tbody tr[data-message]"))
                    .isEmpty());
            browser.screenshot(out.resolve("mailboxes.png"));

            browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390,
                    "height", 844, "deviceScaleFactor", 1, "mobile", true));
            browser.page("cluster");
            browser.screenshot(out.resolve("phone.png"));
            for (Future<SippRun.Result> held : List.of(onPublisher, onSubscriber)) {
                assertTrue(held.get(90, TimeUnit.SECONDS).allSucceeded(), "held calls");
            }
        } finally {
            background.shutdownNow();
        }
    }
}
