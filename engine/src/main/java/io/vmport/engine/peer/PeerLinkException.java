package io.vmport.engine.peer;

/** The peer link cannot do what was asked: it cannot bind, the peer is not connected, the link stopped. */
public final class PeerLinkException extends RuntimeException {

    public PeerLinkException(String message) {
        super(message);
    }

    public PeerLinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
