package io.vmport.engine.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One call's conversation (SPEC MD-3, MD-4, MD-6): who calls decides what they hear.
 * <ul>
 *   <li>forwarded call (the redirecting number is a mailbox): {@link ConversationState#GREETING} (the mailbox's
 *   own greeting, else "the person at extension 1 0 0 1 is not available..."), a beep, then
 *   {@link ConversationState#RECORDING} until {@code #}, silence, the maximum length or hang-up; a recording
 *   shorter than the minimum is discarded;</li>
 *   <li>the owner (the From user is a mailbox, no redirection): {@link ConversationState#MAILBOX}: "you have N new
 *   and M saved messages", then each message newest first, each followed by its menu: 7 delete, 9 save,
 *   {@code #} next, {@code *} previous ({@code *} on the first message plays it again; past the last, "no more
 *   messages", goodbye). A message played to its end is marked heard. A menu left unanswered is said again, up
 *   to {@code tries} times, then goodbye;</li>
 *   <li>anyone else: {@link ConversationState#OPENING} asks for an extension (digits, then {@code #} or a pause
 *   of {@code digitTimeoutMs}; {@code *} starts the entry again), then goes on as a forwarded call to it; an
 *   unknown extension is said to be unknown and asked again, an empty one just asked again; after {@code tries}
 *   failures, goodbye.</li>
 * </ul>
 * A digit stops the prompt it interrupts (barge-in) except during the beep and the goodbye.
 *
 * <p>Not thread-safe: call every method from one thread at a time, for example a serial executor per call. The
 * {@link MessageStore} reads may block. Time is passed in as {@code nowNs} ({@link System#nanoTime()} scale);
 * {@link #tick} must be called regularly (every 20 ms pacing tick is plenty) for the digit timeouts.
 */
public final class Conversation {
    /** An extension longer than this ends the entry at once. */
    static final int MAX_EXTENSION_DIGITS = 15;
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final long NS_PER_MS = 1_000_000L;

    private final ConversationSettings settings;
    private final MessageStore store;
    private final ConversationOutput out;

    private ConversationState state = ConversationState.IDLE;
    private CallInfo call;
    private long startNs;
    /** The extension of the mailbox served, once known. */
    private String mailbox;
    /** While waiting for a digit: when the wait ends. */
    private long deadlineNs = NO_DEADLINE;
    /** Whether a prompt plays that a digit interrupts. */
    private boolean interruptible;
    /** OPENING: the digits so far and the failed entries. */
    private final StringBuilder entered = new StringBuilder(MAX_EXTENSION_DIGITS + 1);
    private int failures;
    /** RECORDING: when it started, whether the conversation asked it to stop, whether the caller hung up. */
    private long recordStartNs;
    private boolean stopRequested;
    private boolean hungUp;
    /** MAILBOX: the messages, the one played or last played, menus left unanswered. */
    private final List<MessageSummary> messages = new ArrayList<>();
    private int current;
    private int unanswered;

    public Conversation(ConversationSettings settings, MessageStore store, ConversationOutput out) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The current state (MD-6). */
    public ConversationState state() {
        return state;
    }

    /** The extension of the mailbox served, or null while none is known (MD-6). */
    public String mailbox() {
        return mailbox;
    }

    /** The call was answered: decides by who calls (MD-3) and plays the first prompts. */
    public void start(CallInfo call, long nowNs) {
        if (state != ConversationState.IDLE) {
            throw new IllegalStateException("start in state " + state + " (mailbox " + mailbox + ")");
        }
        this.call = Objects.requireNonNull(call, "call");
        this.startNs = nowNs;
        if (call.redirecting() != null && store.mailbox(call.redirecting()).isPresent()) {
            greet(call.redirecting(), nowNs);
        } else if (call.redirecting() == null && call.caller() != null && store.mailbox(call.caller()).isPresent()) {
            openMailbox(call.caller(), nowNs);
        } else {
            transition(ConversationState.OPENING, nowNs);
            askExtension(List.of());
        }
    }

    /** A DTMF digit ({@code 0-9 * # A-D}), once per RFC 4733 event (MD-4). {@code A-D} are ignored. */
    public void digit(char digit, long nowNs) {
        if ("0123456789*#ABCD".indexOf(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "' in state " + state);
        }
        switch (state) {
            case OPENING -> openingDigit(digit, nowNs);
            case GREETING -> greetingDigit(digit);
            case RECORDING -> recordingDigit(digit);
            case MAILBOX -> mailboxDigit(digit, nowNs);
            default -> {
                // IDLE, GOODBYE, ENDED: nothing to choose
            }
        }
    }

    /** The list given to the last {@link ConversationOutput#play} has played to its end. */
    public void playbackDone(long nowNs) {
        interruptible = false;
        switch (state) {
            case OPENING, MAILBOX -> {
                if (state == ConversationState.MAILBOX) {
                    markCurrentHeard();
                }
                deadlineNs = nowNs + settings.digitTimeoutMs() * NS_PER_MS;
            }
            case GREETING -> {
                transition(ConversationState.RECORDING, nowNs);
                recordStartNs = nowNs;
                out.startRecording(settings.maxMessageMs(), settings.silenceMs());
            }
            case GOODBYE -> {
                out.hangUp();
                transition(ConversationState.ENDED, nowNs);
            }
            default -> {
                // IDLE, RECORDING, ENDED: a late report of a list already replaced
            }
        }
    }

    /**
     * The recording ended (MD-4), for {@code reason}, with its audio (an 8 kHz mono WAV file) and length. A
     * message at least the minimum long is handed to the store; then goodbye, or the end when the caller hung up.
     */
    public void recordingEnded(RecordingEnd reason, byte[] wav, long durationMs, long nowNs) {
        Objects.requireNonNull(reason, "reason");
        if (state != ConversationState.RECORDING) {
            throw new IllegalStateException("recordingEnded(" + reason + ") in state " + state + " (mailbox "
                    + mailbox + ")");
        }
        if (durationMs >= settings.minMessageMs() && durationMs > 0) {
            long receivedAtMs = call.answeredAtMs() + (recordStartNs - startNs) / NS_PER_MS;
            store.store(new NewMessage(mailbox, call.caller(), call.server(), call.port(), receivedAtMs, durationMs,
                    Objects.requireNonNull(wav, "wav")));
        }
        if (hungUp || reason == RecordingEnd.HANGUP) {
            transition(ConversationState.ENDED, nowNs);
        } else {
            goodbye(List.of(Prompt.MESSAGE_RECORDED), nowNs);
        }
    }

    /** The caller hung up (or the media timed out): the conversation ends; a recording in progress is kept. */
    public void hangUp(long nowNs) {
        deadlineNs = NO_DEADLINE;
        switch (state) {
            case RECORDING -> {
                if (!hungUp && !stopRequested) {
                    out.stopRecording();
                }
                hungUp = true;  // ends when the recording's report comes
            }
            case ENDED -> {
                // already over
            }
            default -> transition(ConversationState.ENDED, nowNs);
        }
    }

    /** Time passes: ends a wait for digits whose time is up. */
    public void tick(long nowNs) {
        if (deadlineNs == NO_DEADLINE || nowNs - deadlineNs < 0) {
            return;
        }
        deadlineNs = NO_DEADLINE;
        if (state == ConversationState.OPENING) {
            extensionEntered(nowNs);
        } else if (state == ConversationState.MAILBOX) {
            if (++unanswered >= settings.tries()) {
                goodbye(List.of(), nowNs);
            } else {
                play(true, Prompt.MESSAGE_MENU);
            }
        }
    }

    // ---- OPENING

    private void askExtension(List<Clip> before) {
        entered.setLength(0);
        deadlineNs = NO_DEADLINE;
        List<Clip> clips = new ArrayList<>(before);
        clips.add(Prompt.ENTER_EXTENSION);
        play(true, clips);
    }

    private void openingDigit(char digit, long nowNs) {
        if (digit >= 'A' && digit <= 'D') {
            return;  // not part of an extension, and no reason to cut the prompt short
        }
        if (interruptible) {
            out.stopPlayback();
            interruptible = false;
        }
        switch (digit) {
            case '#' -> extensionEntered(nowNs);
            case '*' -> {
                entered.setLength(0);
                deadlineNs = nowNs + settings.digitTimeoutMs() * NS_PER_MS;
            }
            default -> {
                entered.append(digit);
                if (entered.length() > MAX_EXTENSION_DIGITS) {
                    extensionEntered(nowNs);
                } else {
                    deadlineNs = nowNs + settings.digitTimeoutMs() * NS_PER_MS;
                }
            }
        }
    }

    private void extensionEntered(long nowNs) {
        deadlineNs = NO_DEADLINE;
        String extension = entered.toString();
        if (!extension.isEmpty() && store.mailbox(extension).isPresent()) {
            greet(extension, nowNs);
            return;
        }
        List<Clip> unknown = new ArrayList<>();
        if (!extension.isEmpty()) {  // nothing entered: just asked again
            unknown.add(Prompt.EXTENSION);
            unknown.addAll(Prompts.digits(extension));
            unknown.add(Prompt.IS_UNKNOWN);
        }
        if (++failures >= settings.tries()) {
            goodbye(unknown, nowNs);
        } else {
            askExtension(unknown);
        }
    }

    // ---- GREETING and RECORDING

    private void greet(String extension, long nowNs) {
        mailbox = extension;
        transition(ConversationState.GREETING, nowNs);
        Optional<byte[]> own = store.greeting(extension);
        List<Clip> clips = new ArrayList<>();
        if (own.isPresent()) {
            clips.add(new AudioClip("greeting " + extension, own.get()));
        } else {
            clips.add(Prompt.PERSON_AT_EXTENSION);
            clips.addAll(Prompts.digits(extension));
            clips.add(Prompt.IS_NOT_AVAILABLE);
        }
        clips.add(Prompt.BEEP);
        play(true, clips);
    }

    /** {@code #} during the greeting skips to the beep. */
    private void greetingDigit(char digit) {
        if (digit == '#' && interruptible) {
            play(false, Prompt.BEEP);
        }
    }

    private void recordingDigit(char digit) {
        if (digit == '#' && !stopRequested) {
            stopRequested = true;
            out.stopRecording();
        }
    }

    // ---- MAILBOX

    private void openMailbox(String extension, long nowNs) {
        mailbox = extension;
        transition(ConversationState.MAILBOX, nowNs);
        messages.addAll(store.messages(extension));
        int fresh = 0;
        for (MessageSummary m : messages) {
            fresh += m.heard() ? 0 : 1;
        }
        List<Clip> clips = new ArrayList<>();
        clips.add(Prompt.YOU_HAVE);
        clips.addAll(Prompts.number(fresh));
        clips.add(Prompt.NEW_AND);
        clips.addAll(Prompts.number(messages.size() - fresh));
        clips.add(Prompt.SAVED_MESSAGES);
        if (messages.isEmpty()) {
            goodbye(clips, nowNs);
        } else {
            playMessage(0, clips, nowNs);
        }
    }

    private void mailboxDigit(char digit, long nowNs) {
        if (messages.isEmpty()) {
            return;
        }
        switch (digit) {
            case '7' -> {
                store.delete(messages.remove(current).id());
                playMessage(current, new ArrayList<>(List.of(Prompt.MESSAGE_DELETED)), nowNs);
            }
            case '9' -> {
                markCurrentHeard();
                playMessage(current + 1, new ArrayList<>(List.of(Prompt.MESSAGE_SAVED)), nowNs);
            }
            case '#' -> playMessage(current + 1, new ArrayList<>(), nowNs);
            case '*' -> playMessage(Math.max(0, current - 1), new ArrayList<>(), nowNs);
            default -> {
                return;  // not a menu choice
            }
        }
        unanswered = 0;
    }

    /**
     * Plays {@code before}, then message {@code index} (its number, its audio, its menu), skipping messages gone
     * from the store; past the last one, "no more messages" and goodbye.
     */
    private void playMessage(int index, List<Clip> before, long nowNs) {
        deadlineNs = NO_DEADLINE;
        while (index < messages.size()) {
            MessageSummary m = messages.get(index);
            Optional<byte[]> audio = store.audio(m.id());
            if (audio.isPresent()) {
                current = index;
                before.add(Prompt.MESSAGE);
                before.addAll(Prompts.number(index + 1));
                before.add(new AudioClip("message " + m.id(), audio.get()));
                before.add(Prompt.MESSAGE_MENU);
                play(true, before);
                return;
            }
            messages.remove(index);  // deleted meanwhile, e.g. from the other server
        }
        before.add(Prompt.NO_MORE_MESSAGES);
        goodbye(before, nowNs);
    }

    private void markCurrentHeard() {
        if (current < messages.size() && !messages.get(current).heard()) {
            MessageSummary m = messages.get(current);
            store.markHeard(m.id());
            messages.set(current, new MessageSummary(m.id(), m.mailbox(), m.caller(), m.server(), m.port(),
                    m.receivedAtMs(), m.durationMs(), true));
        }
    }

    // ---- common

    private void goodbye(List<Clip> before, long nowNs) {
        deadlineNs = NO_DEADLINE;
        transition(ConversationState.GOODBYE, nowNs);
        List<Clip> clips = new ArrayList<>(before);
        clips.add(Prompt.GOODBYE);
        play(false, clips);
    }

    private void play(boolean digitsInterrupt, Clip clip) {
        play(digitsInterrupt, List.of(clip));
    }

    private void play(boolean digitsInterrupt, List<Clip> clips) {
        interruptible = digitsInterrupt;
        out.play(List.copyOf(clips));
    }

    private void transition(ConversationState to, long nowNs) {
        if (!state.next().contains(to)) {
            throw new IllegalStateException("conversation cannot move from " + state + " to " + to + " (mailbox "
                    + mailbox + ")");
        }
        state = to;
        out.stateChanged(to, mailbox, nowNs);
    }
}
