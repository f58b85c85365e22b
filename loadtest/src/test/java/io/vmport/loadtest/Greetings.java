package io.vmport.loadtest;

import io.vmport.engine.conversation.Prompt;
import io.vmport.engine.conversation.Prompts;
import java.util.ArrayList;
import java.util.List;

/** How long a caller hears the greeting of a mailbox without a greeting of its own, for the voice scenarios. */
public final class Greetings {
    private Greetings() {
    }

    /** "The person at extension ... is not available", then the beep, in ms: when recording starts (MD-4). */
    public static double greetingAndBeepMs(String extension) {
        List<Prompt> clips = new ArrayList<>(List.of(Prompt.PERSON_AT_EXTENSION));
        Prompts.digits(extension).forEach(c -> clips.add((Prompt) c));
        clips.add(Prompt.IS_NOT_AVAILABLE);
        clips.add(Prompt.BEEP);
        long samples = 0;
        for (Prompt p : clips) {
            samples += Prompts.shared().samples(p).length;
        }
        return samples / 8.0;
    }
}
