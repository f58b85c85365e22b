package io.vmport.sip;

/** Transports the trunk listens on. */
public enum SipTransport {
    UDP,
    TCP
}
