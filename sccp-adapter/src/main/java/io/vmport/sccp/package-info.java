/**
 * SCCP (Skinny) adapter: {@code codec} frames and messages on the wire, {@code station} one session per port
 * device towards the phone system, {@code sim} a small phone system for tests and the demo. Knows nothing of the
 * engine: a station reports to a {@link io.vmport.sccp.station.StationListener} it owns.
 */
package io.vmport.sccp;
