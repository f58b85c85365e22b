package io.vmport.sccp.sim;

/**
 * How an offered call came out: answered on a device of a server, or unanswered because no registered idle
 * device answered.
 *
 * @param answered      whether a device answered
 * @param deviceName    the device that answered, or null
 * @param server        the server that owns it, or null
 * @param devicesRung   how many devices rang before the outcome
 * @param reason        why it is unanswered, or "answered"
 */
public record CallOutcome(boolean answered, String deviceName, String server, int devicesRung, String reason) {
}
