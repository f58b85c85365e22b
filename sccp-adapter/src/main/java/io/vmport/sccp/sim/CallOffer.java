package io.vmport.sccp.sim;

/**
 * A call the simulator offers, as a PBX would forward it to voice mail.
 *
 * @param calling      the calling party number
 * @param called       the called party number (the voice-mail pilot)
 * @param redirecting  the party that forwarded the call (CallInfo's original called and last redirecting party),
 *                     or null: the original called party is {@code called}
 * @param callerMuLaw  what the caller says once the device sends media: G.711 mu-law bytes, 8 kHz, played over and
 *                     over; null: silence
 * @param holdTimeMs   how long after the answer the caller hangs up; 0: until the device goes on hook; negative:
 *                     the simulator's {@link SimSettings#holdTimeMs()}
 */
public record CallOffer(String calling, String called, String redirecting, byte[] callerMuLaw, long holdTimeMs) {
    public CallOffer {
        if (callerMuLaw != null && callerMuLaw.length == 0) {
            throw new IllegalArgumentException("callerMuLaw is empty; allowed: null (silence) or audio bytes");
        }
        callerMuLaw = callerMuLaw == null ? null : callerMuLaw.clone();
    }

    /** A direct call with a silent caller, hung up after the simulator's hold time. */
    public static CallOffer of(String calling, String called) {
        return new CallOffer(calling, called, null, null, -1);
    }
}
