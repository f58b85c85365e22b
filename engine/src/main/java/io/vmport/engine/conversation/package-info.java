/**
 * The conversation on a port (SPEC MD-3, MD-4, MD-6): a small state machine per answered call that decides
 * what the caller hears and when a message is recorded, driven by DTMF, end of playback, end of recording,
 * hang-up and clock ticks with the time passed in. It opens no socket and reads no clock: the media plane
 * implements {@link io.vmport.engine.conversation.ConversationOutput} and feeds the events; the message store
 * behind {@link io.vmport.engine.conversation.MessageStore} holds mailboxes and messages.
 */
package io.vmport.engine.conversation;
