package io.vmport.engine.admin;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The web console's sign-in sessions (issue 15): a random 128-bit id per sign-in, carried by the cookie
 * {@value #COOKIE} ({@code HttpOnly; SameSite=Strict}, no expiry: it ends with the browser session). Kept in the
 * node's memory only, so a restarted node asks for the token again. At most {@value #MAX_SESSIONS} at once: a new
 * sign-in beyond that ends the one used least recently. Thread-safe.
 */
final class ConsoleSessions {
    static final String COOKIE = "vmport_session";
    static final int MAX_SESSIONS = 1000;
    private static final int ID_BYTES = 16;

    private final SecureRandom random = new SecureRandom();
    private final Consumer<String> ended;
    /** Session id to nothing, in access order (least recently used first). */
    private final LinkedHashMap<String, Boolean> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /** Sessions that tell {@code ended} the id of each one that ends by signing out. */
    ConsoleSessions(Consumer<String> ended) {
        this.ended = Objects.requireNonNull(ended, "ended");
    }

    /** Starts a session; returns its id. */
    String create() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        String s = HexFormat.of().formatHex(id);
        synchronized (sessions) {
            sessions.put(s, Boolean.TRUE);
        }
        return s;
    }

    /** Whether {@code id} names a live session (and marks it used). */
    boolean valid(String id) {
        if (id == null) {
            return false;
        }
        synchronized (sessions) {
            return sessions.get(id) != null;
        }
    }

    /** Ends the session {@code id}, if there is one. */
    void end(String id) {
        if (id != null) {
            synchronized (sessions) {
                sessions.remove(id);
            }
            ended.accept(id);
        }
    }

    int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /** The session id in a {@code Cookie} request header, or null when it carries none. */
    static String idFrom(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (Iterator<Cookie> it = ServerCookieDecoder.LAX.decode(cookieHeader).iterator(); it.hasNext(); ) {
            Cookie c = it.next();
            if (c.name().equals(COOKIE)) {
                return c.value();
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} value that gives the browser session {@code id}. */
    static String setCookie(String id) {
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The {@code Set-Cookie} value that makes the browser forget its session. */
    static String clearCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    }
}
