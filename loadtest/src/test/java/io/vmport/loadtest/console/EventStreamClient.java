package io.vmport.loadtest.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One reader of a node's {@code GET /api/events} (Server-Sent Events), as a browser's EventSource would hold it
 * open: it reads every line and counts events and data characters, nothing more. Its own connection (HTTP/1.1).
 *
 * <pre>
 * event: ports                 an event's name
 * data: {"ports":[...]}        its data (one line here)
 *                              a blank line ends the event
 * : keepalive                  a comment
 * </pre>
 */
final class EventStreamClient implements AutoCloseable {
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong portEvents = new AtomicLong();
    private final AtomicLong dataChars = new AtomicLong();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger();
    private final CompletableFuture<HttpResponse<Void>> response;

    /** Connects to {@code http://host:adminPort/api/events} with the Bearer {@code token}. */
    EventStreamClient(HttpClient http, String host, int adminPort, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + adminPort + "/api/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(5)).GET().build();
        response = http.sendAsync(request, head -> {
            status.set(head.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
        });
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    long events() {
        return events.get();
    }

    /** {@code ports} events so far: the first is the full list, the rest are batches of changes. */
    long portEvents() {
        return portEvents.get();
    }

    long dataChars() {
        return dataChars.get();
    }

    /** The response's status once its head has come, or 0. */
    int status() {
        return status.get();
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("event:")) {
                events.incrementAndGet();
                if ("ports".equals(line.substring(6).trim())) {
                    portEvents.incrementAndGet();
                }
            } else if (line.startsWith("data:")) {
                dataChars.addAndGet(line.length() - 5);
            }
        }

        @Override
        public void onError(Throwable t) {
            // the stream ended (closed by us or by the node): the counts stay as they are
        }

        @Override
        public void onComplete() {
        }
    }
}
