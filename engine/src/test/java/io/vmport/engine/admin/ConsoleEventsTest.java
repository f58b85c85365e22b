package io.vmport.engine.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's event stream on Netty's embedded channel, whose clock the test steps: batching per
 * {@value ConsoleEvents#BATCH_MS} ms, the keepalive, and a slow page closed instead of buffered (issue 15). The node
 * behind it is real (a pipeline over the domain's router).
 */
class ConsoleEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminTestNode node;
    private ConsoleEvents events;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() {
        node = AdminTestNode.start(4);
        events = new ConsoleEvents(node.backend(), Runnable::run);
    }

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        node.close();
    }

    /** A page's stream: the channel, the response head read off it. */
    private EmbeddedChannel page() {
        EmbeddedChannel c = new EmbeddedChannel();
        c.freezeTime();
        channels.add(c);
        if (channels.size() == 1) {
            events.bind(c.eventLoop());
        }
        events.open(c, null);
        assertInstanceOf(HttpResponse.class, c.readOutbound());
        return c;
    }

    /** Everything written to {@code c} since the last call, as text. */
    private static String written(EmbeddedChannel c) {
        StringBuilder b = new StringBuilder();
        for (Object o = c.readOutbound(); o != null; o = c.readOutbound()) {
            HttpContent content = (HttpContent) o;
            b.append(content.content().toString(StandardCharsets.UTF_8));
            content.release();
        }
        return b.toString();
    }

    /** The data of each event named {@code name} in {@code text}. */
    private static List<JsonNode> data(String text, String name) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String frame : text.split("\n\n")) {
            if (frame.startsWith("event: " + name + "\ndata: ")) {
                found.add(JSON.readTree(frame.substring(("event: " + name + "\ndata: ").length())));
            }
        }
        return found;
    }

    /** Steps the channel's clock and runs what fell due (the batch, the keepalive, the alarm read). */
    private static void step(EmbeddedChannel c, long ms) {
        c.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        c.runScheduledPendingTasks();
        c.runPendingTasks();
    }

    @Test
    void pm1_changesWithinOneBatchGoOutAsOneEvent_andNothingWhenNothingChanged() throws Exception {
        EmbeddedChannel c = page();
        String first = written(c);
        assertTrue(first.startsWith("retry: 2000\n\nevent: cluster\ndata: "), first);
        assertEquals(8, data(first, "ports").get(0).path("ports").size());

        int a = node.connectedCall("a", ServerName.PUBLISHER, "1001", CallReason.DIRECT);
        int b = node.connectedCall("b", ServerName.SUBSCRIBER, "1002", CallReason.DIRECT);
        node.drained();
        step(c, ConsoleEvents.BATCH_MS);
        String batch = written(c);
        List<JsonNode> ports = data(batch, "ports");
        assertEquals(1, ports.size(), "one event for the batch: " + batch);
        List<String> names = new ArrayList<>();
        ports.get(0).path("ports").forEach(p -> names.add(p.path("name").asText()));
        assertEquals(List.of(node.backend().portPlan().port(a).name(), node.backend().portPlan().port(b).name()),
                names);
        assertEquals(1, data(batch, "cluster").size(), "calls in progress changed: " + batch);

        step(c, ConsoleEvents.BATCH_MS);
        assertEquals("", written(c), "nothing changed, nothing sent");
    }

    @Test
    void keepaliveCommentEvery15s() {
        EmbeddedChannel c = page();
        written(c);
        step(c, ConsoleEvents.KEEPALIVE_MS - ConsoleEvents.BATCH_MS);
        assertFalse(written(c).contains(": keepalive"));
        step(c, ConsoleEvents.BATCH_MS);
        assertEquals(": keepalive\n\n", written(c));
    }

    @Test
    void aPageThatDoesNotReadIsClosed_theOthersGoOn() throws Exception {
        EmbeddedChannel slow = page();
        EmbeddedChannel fast = page();
        written(slow);
        written(fast);
        // what Netty says once more than the allowed bytes wait for the page to read them
        slow.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        node.connectedCall("c", ServerName.PUBLISHER, "1003", CallReason.DIRECT);
        node.drained();
        step(slow, ConsoleEvents.BATCH_MS); // the first page's loop runs the stream's timers
        assertFalse(slow.isOpen(), "the slow page's stream is closed");
        assertEquals(1, events.dropped());
        assertEquals(1, data(written(fast), "ports").size());
        assertNull(slow.readOutbound(), "nothing more is buffered for the slow page");
        slow.runPendingTasks();
        fast.runPendingTasks();
        assertEquals(1, events.streamCount());
    }

    @Test
    void sources_stopWithTheLastStream_andStartAgainWithTheNext() throws Exception {
        EmbeddedChannel c = page();
        written(c);
        c.close();
        c.runPendingTasks();
        assertEquals(0, events.streamCount());
        node.connectedCall("d", ServerName.SUBSCRIBER, "1004", CallReason.DIRECT);
        node.drained();
        EmbeddedChannel again = page();
        List<JsonNode> ports = data(written(again), "ports");
        assertEquals(1, ports.size());
        int inCall = 0;
        for (JsonNode p : ports.get(0).path("ports")) {
            inCall += p.path("state").asText().equals("IN_CALL") ? 1 : 0;
        }
        assertEquals(1, inCall, "the full list starts from the monitor as it is now: " + ports);
    }
}
