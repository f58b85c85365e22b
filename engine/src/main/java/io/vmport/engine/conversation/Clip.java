package io.vmport.engine.conversation;

/** One thing to play to the caller: a system {@link Prompt} or stored audio ({@link AudioClip}). */
public sealed interface Clip permits Prompt, AudioClip {
}
