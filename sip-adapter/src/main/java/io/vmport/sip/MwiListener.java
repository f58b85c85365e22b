package io.vmport.sip;

/**
 * What the engine implements to hear about MWI it could not deliver. Called on the notifier's thread, its timer's
 * or the trunk's UDP receiving thread; must return quickly and must not throw.
 */
public interface MwiListener {

    /**
     * The NOTIFY for {@code state} failed {@code attempts} times in a row (4xx/5xx/6xx, no answer, or not
     * sendable) and is given up; the engine raises {@code MwiFailed} for the extension. A later state for the
     * extension is tried afresh.
     *
     * @param lastOutcome what the last attempt got, e.g. {@code "403 Forbidden"} or {@code "no answer"}
     */
    void onMwiFailed(MwiState state, int attempts, String lastOutcome);
}
