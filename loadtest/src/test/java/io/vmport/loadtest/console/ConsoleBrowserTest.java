package io.vmport.loadtest.console;

import static io.vmport.loadtest.console.ConsolePair.PUBLISHER;
import static io.vmport.loadtest.console.ConsolePair.SUBSCRIBER;
import static io.vmport.loadtest.console.ConsolePair.TOKEN;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmport.loadtest.SippCluster;
import io.vmport.loadtest.failover.NodeProcess;
import io.vmport.loadtest.sipp.SippRun;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web console (issue 15) in a real browser: headless chromium against two {@code vmport node} processes from the
 * shaded jar, SIPp as the PBX. One pair and one browser for the class (start-up is most of the cost); each test
 * starts from ST-1 with both servers taking calls and leaves it so; the node-kill test runs last. Selectors are
 * CONSOLE-CONTRACT.md's. Screenshots of the moments asserted go to {@code target/console/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final int PORTS = 8; // 4 per server
    private static final Path WORK = Path.of("target", "console").toAbsolutePath();

    private static ConsolePair pair;
    private static ConsoleBrowser browser;
    private static ExecutorService background;

    @BeforeAll
    static void start() throws Exception {
        ConsoleBrowser.requireChromiumOrSkip();
        SippCluster.requireSippOrSkip();
        background = Executors.newFixedThreadPool(2);
        pair = ConsolePair.start(WORK, PORTS);
        browser = ConsoleBrowser.start(1280, 900, WORK);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (background != null) {
                background.shutdownNow();
            }
            if (pair != null) {
                pair.close();
            }
        }
    }

    @BeforeEach
    void fromSt1() throws Exception {
        pair.restore();
        browser.openSignedIn(pair.pageUrl(PUBLISHER), TOKEN);
        browser.page("cluster");
    }

    /**
     * PM-4 (the API asks for credentials) in the browser: without a session every /api call and the event stream
     * answer 401 and the page shows only the sign-in form; a wrong token is refused with a message; the right one
     * shows the app, in an HttpOnly cookie that scripts cannot read and never in the URL; signing out refuses again.
     */
    @Test
    @Order(1)
    void pm4_signIn_refusedWithoutAndWithWrongToken() throws Exception {
        browser.driver.manage().deleteAllCookies();
        browser.open(pair.pageUrl(PUBLISHER));
        browser.await("the sign-in form, the app hidden", d -> browser.visible("form#signin")
                && !browser.visible("#app"));
        assertAll("refused without a session",
                () -> assertEquals(401, browser.fetchStatus("/api/cluster"), "/api/cluster"),
                () -> assertEquals(401, browser.fetchStatus("/api/ports"), "/api/ports"),
                () -> assertEquals(401, browser.fetchStatus("/api/events"), "/api/events"));

        browser.submitToken("not-" + TOKEN);
        browser.await("#signin-error says the token was refused", d -> browser.visible("#signin-error")
                && !d.findElement(By.id("signin-error")).getText().isBlank());
        assertFalse(browser.visible("#app"), "the app stays hidden after a wrong token");
        assertEquals(401, browser.fetchStatus("/api/cluster"), "still refused after a wrong token");
        browser.screenshot(WORK.resolve("signin-refused.png"));

        browser.signIn(TOKEN);
        Cookie session = browser.driver.manage().getCookieNamed("vmport_session");
        assertNotNull(session, "the session cookie after sign-in: " + browser.driver.manage().getCookies());
        String scriptCookies = (String) browser.script("return document.cookie;");
        assertAll("the session",
                () -> assertTrue(session.isHttpOnly(), "HttpOnly"),
                () -> assertEquals("Strict", session.getSameSite(), "SameSite"),
                () -> assertEquals(null, session.getExpiry(), "a browser-session cookie (no Expires)"),
                () -> assertFalse(session.getValue().contains(TOKEN), "the cookie is not the token"),
                () -> assertFalse(scriptCookies.contains(session.getValue()), "scripts cannot read it: "
                        + scriptCookies),
                () -> assertFalse(browser.driver.getCurrentUrl().contains(TOKEN), "no token in the URL"),
                () -> assertEquals(200, browser.fetchStatus("/api/cluster"), "/api/cluster with the session"));

        browser.driver.findElement(By.id("signout")).click();
        browser.await("the sign-in form again after sign-out", d -> browser.visible("form#signin")
                && !browser.visible("#app"));
        assertEquals(401, browser.fetchStatus("/api/cluster"), "refused after sign-out");
    }

    /** PM-2, ST-1: both servers with the values the API gives (status, epoch, taking calls, ports, peer link). */
    @Test
    @Order(2)
    void pm2_st1_bothServersShown() throws Exception {
        JsonNode view = pair.get(PUBLISHER, "/api/cluster");
        for (JsonNode s : view.path("servers")) {
            String name = s.path("name").asText();
            for (String field : List.of("status", "epoch", "callsInProgress", "portsTotal", "portsIdle",
                    "portsBusy")) {
                browser.awaitField(name, field, s.path(field).asText());
            }
            browser.awaitField(name, "takingCalls", "yes");
            assertFalse(browser.field(name, "lastHeartbeat").isBlank(), name + " last heartbeat shown");
            assertFalse(browser.field(name, "peerConnected").isBlank(), name + " peer link shown");
        }
        assertEquals("PRIMARY", browser.field(PUBLISHER, "status"));
        assertEquals("SECONDARY", browser.field(SUBSCRIBER, "status"));
        assertEquals(String.valueOf(PORTS / 2), browser.field(SUBSCRIBER, "portsTotal"));
        browser.screenshot(WORK.resolve("cluster.png"));
    }

    /**
     * CA-4, PM-3, AL-1: Stop Taking Calls on the subscriber while SIPp holds two calls on it. The confirmation says
     * what the CLI says; the page shows it not taking calls and draining; new SIPp calls to it get 503; when the
     * held calls end it shows drained and the ServerDrained alarm; Take Calls and a new call is answered again.
     */
    @Test
    @Order(3)
    void ca4_pm3_al1_stopTakingCalls_drainingThenDrained_thenTakeCalls() throws Exception {
        Future<SippRun.Result> held = background.submit(() -> pair.sipp(SUBSCRIBER, "basic-call.xml")
                .service("answer").calls(2).rate(20).holdMs(6_000).timeoutSeconds(40).run(WORK.resolve("sipp")));
        browser.awaitField(SUBSCRIBER, "callsInProgress", "2");

        String preview = pair.get(PUBLISHER, "/api/servers/subscriber/stop-taking-calls/preview")
                .path("preview").path("summary").asText();
        String asked = browser.askAction(SUBSCRIBER, "stop-taking-calls");
        assertTrue(asked.contains(preview), "the confirmation says what the CLI says: '" + preview + "' in '"
                + asked + "'");
        browser.confirm();
        browser.awaitField(SUBSCRIBER, "takingCalls", "no");
        browser.awaitField(SUBSCRIBER, "draining", "draining");
        assertEquals("SECONDARY", browser.field(SUBSCRIBER, "status"), "CA-4: the status does not change");
        browser.screenshot(WORK.resolve("draining.png"));

        SippRun.Result refused = pair.sipp(SUBSCRIBER, "refused-503.xml").service("answer").calls(3).rate(10)
                .timeoutSeconds(20).run(WORK.resolve("sipp"));
        assertTrue(refused.allSucceeded(), "CA-4: new calls to the draining subscriber get 503: " + refused);

        SippRun.Result ended = held.get(60, TimeUnit.SECONDS);
        assertTrue(ended.allSucceeded(), "the calls in progress finish normally: " + ended);
        browser.awaitField(SUBSCRIBER, "draining", "drained");
        browser.awaitField(SUBSCRIBER, "callsInProgress", "0");
        browser.page("alarms");
        browser.await("AL-1: ServerDrained for the subscriber, newest first", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("table#alarms tbody tr"));
            return !rows.isEmpty() && "ServerDrained".equals(ConsoleBrowser.cell(rows.get(0), "name"))
                    && SUBSCRIBER.equals(ConsoleBrowser.cell(rows.get(0), "server"));
        });
        browser.screenshot(WORK.resolve("alarms.png"));

        browser.page("cluster");
        String takeAsked = browser.askAction(SUBSCRIBER, "take-calls");
        assertTrue(takeAsked.contains("take-calls subscriber"), takeAsked);
        browser.confirm();
        browser.awaitField(SUBSCRIBER, "takingCalls", "yes");
        browser.awaitField(SUBSCRIBER, "draining", "");
        SippRun.Result again = pair.sipp(SUBSCRIBER, "basic-call.xml").service("answer").calls(1).holdMs(100)
                .timeoutSeconds(20).run(WORK.resolve("sipp"));
        assertTrue(again.allSucceeded(), "CA-4: Take Calls, and the subscriber answers again: " + again);
    }

    /** ST-5, PM-3: Make Primary on the subscriber swaps the roles, shown at once; the epoch grows. */
    @Test
    @Order(4)
    void st5_makePrimary_rolesSwap() throws Exception {
        long epochBefore = Long.parseLong(browser.field(SUBSCRIBER, "epoch"));
        String asked = browser.askAction(SUBSCRIBER, "make-primary");
        assertTrue(asked.contains("make-primary subscriber") && asked.contains("not affected"), asked);
        browser.confirm();
        browser.awaitField(SUBSCRIBER, "status", "PRIMARY");
        browser.awaitField(PUBLISHER, "status", "SECONDARY");
        assertTrue(Long.parseLong(browser.field(SUBSCRIBER, "epoch")) > epochBefore, "ST-13: a newer epoch");
        assertEquals("SECONDARY", pair.get(SUBSCRIBER, "/api/cluster").path("servers").path(0).path("status")
                .asText(), "the subscriber's node agrees: the publisher is SECONDARY");
    }

    /** ST-3, PM-3: deactivating the PRIMARY is refused, and the page shows the cluster's reason; nothing changes. */
    @Test
    @Order(5)
    void st3_deactivatePrimary_refusedWithTheReason() throws Exception {
        HttpResponse<String> api = pair.post(PUBLISHER, "deactivate");
        assertEquals(409, api.statusCode(), "the API refuses it too: " + api.body());
        String reason = ConsolePair.error(api.body());

        browser.driver.findElement(By.cssSelector(
                ".server[data-server=publisher] button[data-action=deactivate]")).click();
        browser.await("a confirmation or the refusal", d -> browser.confirmOpen() || browser.visible("#action-error"));
        if (browser.confirmOpen()) {
            String asked = browser.driver.findElement(By.id("confirm-text")).getText();
            assertTrue(asked.contains("PRIMARY"), "the preview says it is refused (ST-3): " + asked);
            browser.confirm();
        }
        browser.await("#action-error shows the cluster's reason: " + reason, d -> browser.visible("#action-error")
                && d.findElement(By.id("action-error")).getText().contains(reason));
        browser.screenshot(WORK.resolve("refused.png"));
        assertEquals("PRIMARY", browser.field(PUBLISHER, "status"));
        assertEquals("PRIMARY", NodeProcess.status(pair.get(PUBLISHER, "/api/cluster"), PUBLISHER));
    }

    /**
     * PM-1 live: on the Port Monitor a publisher port goes busy with SIPp's call (caller, reason shown) and idle
     * again when it ends, through the event stream: the page is never reloaded (a marker set in it survives).
     * The filters show one server's ports and one state.
     */
    @Test
    @Order(6)
    void pm1_portGoesBusyAndIdleWithoutReload() throws Exception {
        browser.page("ports");
        browser.await("every port listed", d -> d.findElements(By.cssSelector("table#ports tbody tr")).size() == PORTS);
        browser.script("window.vmportNotReloaded = true;");

        Future<SippRun.Result> call = background.submit(() -> pair.sipp(PUBLISHER, "basic-call.xml")
                .service("answer").calls(1).holdMs(3_000).timeoutSeconds(30).run(WORK.resolve("sipp")));
        String busyPort = browser.await("a publisher port busy with the call", d -> {
            for (WebElement row : d.findElements(By.cssSelector("table#ports tbody tr[data-server=publisher]"))) {
                String state = ConsoleBrowser.cell(row, "state");
                if (!state.equals("IDLE") && !state.equals("OUT_OF_SERVICE")) {
                    return row.getDomAttribute("data-port");
                }
            }
            return null;
        });
        browser.await("the busy port shows the caller 1001 and the reason", d -> {
            WebElement row = browser.portRow(PUBLISHER, busyPort);
            return row != null && ConsoleBrowser.cell(row, "caller").contains("1001")
                    && ConsoleBrowser.cell(row, "reason").contains("no answer");
        });
        browser.screenshot(WORK.resolve("ports-busy.png"));
        assertTrue(call.get(40, TimeUnit.SECONDS).allSucceeded(), "the SIPp call");
        browser.await("port " + busyPort + " IDLE again", d -> {
            WebElement row = browser.portRow(PUBLISHER, busyPort);
            return row != null && "IDLE".equals(ConsoleBrowser.cell(row, "state"));
        });
        assertEquals(Boolean.TRUE, browser.script("return window.vmportNotReloaded === true;"),
                "the page was not reloaded: the changes came through the event stream");

        new Select(browser.driver.findElement(By.id("filter-server"))).selectByValue(SUBSCRIBER);
        browser.await("only the subscriber's ports", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("table#ports tbody tr"));
            long shown = rows.stream().filter(WebElement::isDisplayed).count();
            return shown == PORTS / 2 && rows.stream().filter(WebElement::isDisplayed)
                    .allMatch(r -> SUBSCRIBER.equals(r.getDomAttribute("data-server")))
                    && String.valueOf(PORTS / 2).equals(d.findElement(By.id("ports-count")).getText().trim());
        });
        new Select(browser.driver.findElement(By.id("filter-server"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-state"))).selectByValue("IN_CALL");
        browser.await("no port IN_CALL", d -> d.findElements(By.cssSelector("table#ports tbody tr")).stream()
                .noneMatch(WebElement::isDisplayed) && "0".equals(d.findElement(By.id("ports-count")).getText().trim()));
        new Select(browser.driver.findElement(By.id("filter-state"))).selectByValue("");
    }

    /**
     * ST-8 as the console shows it: kill -9 the subscriber's node while a second tab shows its page. That tab says
     * the connection is lost; the publisher's page shows the subscriber NOT_FUNCTIONING and the peer link down.
     * The node is started again: the subscriber's tab reconnects by itself (no reload, no click) and both pages
     * show it SECONDARY again.
     */
    @Test
    @Order(7)
    void st8_killTheNode_pageSaysSo_thenReconnectsByItself() throws Exception {
        String publisherTab = browser.driver.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        String subscriberTab = browser.driver.getWindowHandle();
        try {
            browser.openSignedIn(pair.pageUrl(SUBSCRIBER), TOKEN);
            browser.page("cluster");
            browser.script("window.vmportNotReloaded = true;");

            pair.subscriber.kill9();
            browser.await("the subscriber's page says its connection is lost", d ->
                    "lost".equals(browser.connectionState())
                            && d.findElement(By.id("connection")).getText().toLowerCase().contains("lost"));
            browser.screenshot(WORK.resolve("connection-lost.png"));

            browser.switchTo().window(publisherTab);
            browser.awaitField(SUBSCRIBER, "status", "NOT_FUNCTIONING");
            assertEquals("connected", browser.connectionState(), "the publisher's page keeps its stream");

            pair.subscriber.start();
            browser.awaitField(SUBSCRIBER, "status", "SECONDARY");

            browser.switchTo().window(subscriberTab);
            browser.await("the subscriber's page reconnected by itself", Duration.ofSeconds(60), d ->
                    "connected".equals(browser.connectionState()) && browser.visible("#app"));
            browser.awaitField(SUBSCRIBER, "status", "SECONDARY");
            browser.awaitField(PUBLISHER, "status", "PRIMARY");
            assertEquals(Boolean.TRUE, browser.script("return window.vmportNotReloaded === true;"),
                    "reconnected without a reload");
        } finally {
            browser.switchTo().window(subscriberTab);
            browser.driver.close();
            browser.switchTo().window(publisherTab);
        }
    }
}
