package io.vmport.engine.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events stream as a browser's EventSource does (the console's {@code /api/events}): lines until
 * a blank one make an event; {@code event:} names it, {@code data:} carries it, {@code retry:} sets the reconnection
 * delay, a line starting with {@code :} is a comment. A thread of its own reads; a test waits for the next event with
 * a deadline.
 */
final class EventStreamReader implements AutoCloseable {
    private static final long WAIT_S = 10;
    private static final String END = "\u0000end";

    /** One event: its name ({@code message} when it has none) and its data. */
    record Event(String name, String data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile int retryMs = -1;
    private volatile int comments;

    private EventStreamReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread t = new Thread(this::read, "sse-reader");
        t.setDaemon(true);
        t.start();
    }

    /** Opens the stream; fails unless the answer is 200. */
    static EventStreamReader open(HttpClient http, URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(b::header);
        HttpResponse<Stream<String>> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed: " + e, e);
        }
        assertEquals(200, r.statusCode(), "GET " + uri);
        return new EventStreamReader(r);
    }

    private void read() {
        String name = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("event: ")) {
                    name = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data = (data == null ? new StringBuilder() : data.append('\n'))
                            .append(line.substring("data: ".length()));
                } else if (line.startsWith("retry: ")) {
                    retryMs = Integer.parseInt(line.substring("retry: ".length()));
                } else {
                    events.add(new AssertionError("not a line of an event stream: " + line));
                }
            }
        } catch (RuntimeException e) {
            // the connection closed under the reader: the stream ended
        }
        events.add(END);
    }

    String contentType() {
        return header("content-type");
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse("");
    }

    /** The {@code retry:} the stream gave, waiting for its first event if need be. */
    int retryMs() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (retryMs < 0 && System.nanoTime() < deadline && events.isEmpty()) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return retryMs;
    }

    /** The next event, waiting at most 10 s. */
    Event next() {
        Object o;
        try {
            o = events.poll(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (o == null) {
            fail("no event within " + WAIT_S + " s");
        }
        if (o == END) {
            fail("the stream ended");
        }
        if (o instanceof AssertionError e) {
            throw e;
        }
        return (Event) o;
    }

    /** Until the server ends the stream, at most 10 s; events before the end are skipped. */
    void awaitEnd() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (true) {
            Object o;
            try {
                o = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (o == END) {
                return;
            }
            if (o == null) {
                fail("the stream did not end within " + WAIT_S + " s");
            }
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
