package io.vmport.engine.admin;

/**
 * What a request offers to prove who sends it: its {@code Authorization} header, its {@code Cookie} header (the
 * console's session) and its {@value #CONSOLE_HEADER} header (the console's CSRF guard). Any may be null.
 */
record Credentials(String authorization, String cookie, String consoleHeader) {
    /** The header a change made with the session cookie must carry with the value {@code 1}. */
    static final String CONSOLE_HEADER = "X-Vmport-Console";

    /** A request with only an {@code Authorization} header (or none). */
    static Credentials bearer(String authorization) {
        return new Credentials(authorization, null, null);
    }
}
