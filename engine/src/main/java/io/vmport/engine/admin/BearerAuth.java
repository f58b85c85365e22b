package io.vmport.engine.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Checks {@code Authorization: Bearer <token>} (SPEC PM-4) in constant time: {@link MessageDigest#isEqual} over
 * SHA-256 digests, so neither the content nor the length of the token leaks through timing.
 */
final class BearerAuth {
    static final String CHALLENGE = "Bearer realm=\"vmport\"";
    private static final String PREFIX = "Bearer ";

    private final byte[] expectedDigest;

    BearerAuth(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be blank");
        }
        expectedDigest = sha256(token);
    }

    /** True when the header carries the token. */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() < PREFIX.length()
                || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return acceptsToken(authorization.substring(PREFIX.length()).trim());
    }

    /** True when {@code token} is the token (the console's sign-in sends it bare). */
    boolean acceptsToken(String token) {
        return token != null && MessageDigest.isEqual(expectedDigest, sha256(token));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
