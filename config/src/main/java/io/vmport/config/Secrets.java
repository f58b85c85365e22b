package io.vmport.config;

/** How a secret (admin token, database password) appears in messages and logs: never as itself. */
final class Secrets {
    private Secrets() {
    }

    static String hidden(String secret) {
        return "(hidden, " + secret.length() + " characters)";
    }
}
