package io.vmport.engine.admin;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The web console's sign-in sessions (issue 15), carried by the cookie {@value #COOKIE} ({@code HttpOnly;
 * SameSite=Strict}, no expiry: it ends with the browser session).
 *
 * <pre>
 * vmport_session = ID "." ISSUED "." MAC
 *   ID      32 hex digits: 128 random bits
 *   ISSUED  hex epoch milliseconds of the sign-in
 *   MAC     32 hex digits: HMAC-SHA256(key, ID "." ISSUED), first 128 bits; key = SHA-256 of the admin token
 * </pre>
 *
 * Signed rather than kept: a node that restarts, or the other node of the cluster (same token), takes the page's
 * cookie as it is, so a page reconnects by itself when its node is back, and the two nodes' pages on one host (a
 * browser shares cookies between ports) do not sign each other out. A session lasts at most {@value #MAX_AGE_MS} ms;
 * a new token ends every session. Signing out forgets the cookie in the browser and revokes it on this node (kept in
 * memory until it would have expired, at most {@value #MAX_REVOKED}). Thread-safe.
 */
final class ConsoleSessions {
    static final String COOKIE = "vmport_session";
    /** How long a sign-in lasts: a day. */
    static final long MAX_AGE_MS = 24L * 60 * 60 * 1000;
    static final int MAX_REVOKED = 10_000;
    private static final int ID_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final LongSupplier clockMs;
    private final Consumer<String> ended;
    /** Revoked cookies and when they expire, oldest first. */
    private final LinkedHashMap<String, Long> revoked = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REVOKED;
        }
    };

    /**
     * @param token   the admin token, which the sessions' key is derived from
     * @param clockMs wall-clock epoch milliseconds
     * @param ended   told each session that ends by signing out (its streams close)
     */
    ConsoleSessions(String token, LongSupplier clockMs, Consumer<String> ended) {
        Objects.requireNonNull(token, "token");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.ended = Objects.requireNonNull(ended, "ended");
        try {
            byte[] k = MessageDigest.getInstance("SHA-256").digest(("vmport console session\n" + token)
                    .getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(k, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Starts a session; returns the cookie value that carries it. */
    String create() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        String payload = HEX.formatHex(id) + "." + Long.toHexString(clockMs.getAsLong());
        return payload + "." + HEX.formatHex(mac(payload));
    }

    /** Whether {@code session} (a cookie value) is a session this cluster's token signed, live and not revoked. */
    boolean valid(String session) {
        if (session == null || session.length() > 100) {
            return false;
        }
        int dot = session.lastIndexOf('.');
        int first = session.indexOf('.');
        if (first != 2 * ID_BYTES || dot == first) {
            return false;
        }
        byte[] given;
        long issuedMs;
        try {
            given = HEX.parseHex(session, dot + 1, session.length());
            issuedMs = Long.parseUnsignedLong(session, first + 1, dot, 16);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(given, mac(session.substring(0, dot)))) {
            return false;
        }
        long age = clockMs.getAsLong() - issuedMs;
        if (age < 0 || age > MAX_AGE_MS) {
            return false;
        }
        synchronized (revoked) {
            return !revoked.containsKey(session);
        }
    }

    /** Ends {@code session}: revoked here, its streams told. */
    void end(String session) {
        if (!valid(session)) {
            return;
        }
        long now = clockMs.getAsLong();
        synchronized (revoked) {
            revoked.values().removeIf(expiresMs -> expiresMs < now);
            revoked.put(session, now + MAX_AGE_MS);
        }
        ended.accept(session);
    }

    private byte[] mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return Arrays.copyOf(m.doFinal(payload.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** The session in a {@code Cookie} request header, or null when it carries none. */
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

    /** The {@code Set-Cookie} value that gives the browser {@code session}. */
    static String setCookie(String session) {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The {@code Set-Cookie} value that makes the browser forget its session. */
    static String clearCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    }
}
