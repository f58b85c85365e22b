package io.vmport.sccp.station;

/** Station settings for loopback tests: short timeouts and backoff. */
final class LoopbackSettings {
    static final StationSettings SETTINGS = new StationSettings(2_000, 1_000, 50, 400, 2, 16384);

    private LoopbackSettings() {
    }
}
