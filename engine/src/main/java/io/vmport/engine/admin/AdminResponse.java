package io.vmport.engine.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP answer of the admin API, before Netty writes it.
 *
 * @param status      HTTP status code
 * @param contentType the body's media type
 * @param body        the body
 * @param headers     extra headers (Allow, WWW-Authenticate)
 */
record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    /** A message's audio (MS-1). */
    static final String WAV = "audio/wav";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    static AdminResponse json(int status, Object body) {
        return new AdminResponse(status, JSON, JsonViews.bytes(body), Map.of());
    }

    /** JSON already written; the bytes are shared read-only between answers, never changed. */
    static AdminResponse jsonBytes(int status, byte[] json) {
        return new AdminResponse(status, JSON, json, Map.of());
    }

    static AdminResponse error(int status, String reason) {
        return json(status, JsonViews.error(reason));
    }

    static AdminResponse text(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    AdminResponse withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new AdminResponse(status, contentType, body, Map.copyOf(h));
    }
}
