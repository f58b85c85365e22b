/**
 * The voice of the ports (SPEC section 7, DESIGN section 3a): every answered call's own media session from the
 * node's media plane, joined to its conversation. {@link io.vmport.engine.voice.VoicePorts} is the node's side: it
 * starts and stops the media plane and opens, finds and closes each call's {@link io.vmport.engine.voice.VoiceCall};
 * the SIP and SCCP bridges call it when they answer and when a call ends.
 */
package io.vmport.engine.voice;
