package io.vmport.engine.pipeline;

/** The administrative actions of SPEC PM-3, carried by {@link EventType#ADMIN_ACTION} events. */
public enum AdminAction { MAKE_PRIMARY, DEACTIVATE, ACTIVATE, STOP_TAKING_CALLS, TAKE_CALLS }
