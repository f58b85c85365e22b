package io.vmport.engine.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The command line's HTTP client for a node's admin API ({@code java.net.http}). One request per call; answers
 * come back whatever their status, and only a node that cannot be reached throws.
 */
final class AdminClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** An HTTP answer: status and body. */
    record Answer(int status, String body) {
    }

    /** The node could not be reached at the URL; the message says where and why. */
    static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8080}
     * @param token   the bearer token, or null to send none
     */
    AdminClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    boolean hasToken() {
        return token != null;
    }

    Answer get(String path) throws Unreachable {
        return send("GET", path);
    }

    Answer post(String path) throws Unreachable {
        return send("POST", path);
    }

    Answer delete(String path) throws Unreachable {
        return send("DELETE", path);
    }

    /** POST with a JSON body. */
    Answer post(String path, String json) throws Unreachable {
        HttpResponse<String> r = exchange("POST", path, "application/json",
                HttpRequest.BodyPublishers.ofString(json), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** PUT with a body of {@code contentType}. */
    Answer put(String path, String contentType, byte[] body) throws Unreachable {
        HttpResponse<String> r = exchange("PUT", path, contentType, HttpRequest.BodyPublishers.ofByteArray(body),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** GET of a binary body (a WAV file); the status with the bytes as they came. */
    HttpResponse<byte[]> getBytes(String path) throws Unreachable {
        return exchange("GET", path, null, HttpRequest.BodyPublishers.noBody(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Answer send(String method, String path) throws Unreachable {
        HttpResponse<String> r = exchange(method, path, null, HttpRequest.BodyPublishers.noBody(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private <T> HttpResponse<T> exchange(String method, String path, String contentType,
                                         HttpRequest.BodyPublisher body, HttpResponse.BodyHandler<T> handler)
            throws Unreachable {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("bad URL " + baseUrl + path + ": " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new Unreachable("bad URL " + baseUrl + ": expected http://HOST:PORT", null);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            throw new Unreachable("cannot reach the node at " + baseUrl + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for " + baseUrl, e);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("bad URL " + baseUrl + ": " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is the node running, and is this its admin address?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
