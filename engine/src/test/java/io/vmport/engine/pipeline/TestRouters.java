package io.vmport.engine.pipeline;

import io.vmport.engine.routing.Router;

/**
 * The one place the pipeline tests build a Router. Today the stand-in (N ports per server, publisher ports
 * first); when the domain branch lands, build the real Router here for an N-per-server SIP-trunk plan.
 */
final class TestRouters {
    private TestRouters() {
    }

    /** A router over {@code portsPerServer} ports on each server, both taking calls. */
    static Router sipTrunk(int portsPerServer) {
        return new Router(portsPerServer);
    }

    /** The port indexes such a router uses: both servers together. */
    static int portCount(int portsPerServer) {
        return 2 * portsPerServer;
    }
}
