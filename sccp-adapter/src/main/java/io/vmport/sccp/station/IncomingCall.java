package io.vmport.sccp.station;

/**
 * A call ringing a port device, from the phone system's CallState RING_IN and CallInfo.
 *
 * @param callReference the phone system's call reference: the call's identity in every later message
 * @param lineInstance  the device's line (1 for a port device)
 * @param calling       the calling party number
 * @param callingName   the calling party name, or empty
 * @param called        the called party number (the voice-mail pilot)
 * @param redirecting   the party that forwarded the call to voice mail (last redirecting, else original called),
 *                      or empty
 */
public record IncomingCall(int callReference, int lineInstance, String calling, String callingName, String called,
        String redirecting) {
}
