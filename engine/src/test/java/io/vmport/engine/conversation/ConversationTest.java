package io.vmport.engine.conversation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ClusterSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The conversation of SPEC MD-3, MD-4 and MD-6, one test per rule, with a test clock stepped by hand, the media
 * plane's side recorded ({@link RecordingOutput}) and the message store in memory.
 */
class ConversationTest {
    private static final long MS = 1_000_000L;
    private static final long ANSWERED_AT_MS = 1_700_000_000_000L;
    private static final byte[] GREETING_1001 = "greeting 1001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORDED = "recorded".getBytes(StandardCharsets.US_ASCII);

    private final InMemoryMessageStore store = new InMemoryMessageStore()
            .mailbox("1001", GREETING_1001).mailbox("1002", null);
    private final RecordingOutput out = new RecordingOutput();
    private final ConversationSettings settings = ConversationSettings.from(ClusterSettings.defaults());
    private final Conversation conversation = new Conversation(settings, store, out);
    /** The test clock, in ns. */
    private long now = 5_000 * MS;

    private void start(String caller, String redirecting) {
        conversation.start(new CallInfo(caller, redirecting, "900", "publisher", "sip-3", ANSWERED_AT_MS), now);
    }

    private void advanceMs(long ms) {
        now += ms * MS;
        conversation.tick(now);
    }

    private void press(String digits) {
        for (char c : digits.toCharArray()) {
            conversation.digit(c, now);
        }
    }

    private static String names(List<Clip> clips) {
        return clips.stream().map(c -> c instanceof AudioClip a ? "<" + a.label() + ">" : c.toString())
                .collect(Collectors.joining(" "));
    }

    private String lastPlay() {
        return names(out.lastPlay());
    }

    /** Starts a forwarded call to 1001 and plays its greeting to the end: recording runs. */
    private void recordingFor1001() {
        start("2000", "1001");
        now += 3_000 * MS;
        conversation.playbackDone(now);
        assertEquals(ConversationState.RECORDING, conversation.state());
    }

    // ---- MD-3 forwarded call

    @Test
    void md3ForwardedCallHearsTheMailboxOwnGreetingThenABeepThenRecords() {
        start("2000", "1001");

        assertEquals(ConversationState.GREETING, conversation.state());
        assertEquals("1001", conversation.mailbox());
        assertEquals("<greeting 1001> BEEP", lastPlay());
        assertArrayEquals(GREETING_1001, ((AudioClip) out.lastPlay().get(0)).wav());

        now += 4_000 * MS;
        conversation.playbackDone(now);
        assertEquals(ConversationState.RECORDING, conversation.state());
        assertEquals("startRecording 300000 10000", out.lastRequest());
    }

    @Test
    void md3ForwardedCallToAMailboxWithoutGreetingHearsTheExtensionDigitByDigit() {
        start("2000", "1002");

        assertEquals("PERSON_AT_EXTENSION N1 N0 N0 N2 IS_NOT_AVAILABLE BEEP", lastPlay());
    }

    @Test
    void md3HashDuringTheGreetingSkipsToTheBeep() {
        start("2000", "1001");
        press("#");
        assertEquals("BEEP", lastPlay());
        press("#");  // the beep itself is not skipped
        assertEquals(2, out.plays.size());
        conversation.playbackDone(now);
        assertEquals(ConversationState.RECORDING, conversation.state());
    }

    @Test
    void md3ARedirectionWinsOverACallerWhoIsAMailbox() {
        start("1002", "1001");
        assertEquals(ConversationState.GREETING, conversation.state());
        assertEquals("1001", conversation.mailbox());
    }

    @Test
    void md3ARedirectingNumberThatIsNoMailboxGetsTheOpeningGreeting() {
        start("1002", "5555");
        assertEquals(ConversationState.OPENING, conversation.state());
        assertNull(conversation.mailbox());
        assertEquals("ENTER_EXTENSION", lastPlay());
    }

    // ---- MD-4 recording

    @Test
    void md4HashEndsTheRecordingAndTheMessageIsStoredWithItsCall() {
        recordingFor1001();
        long recordStartNs = now;
        now += 6_000 * MS;
        press("5#");
        assertEquals("stopRecording", out.lastRequest());
        press("#");
        assertEquals(1, out.count("stopRecording"), "a second # does not ask again");

        conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 6_000, now);

        assertEquals(1, store.stored.size());
        NewMessage m = store.stored.get(0);
        assertEquals("1001", m.mailbox());
        assertEquals("2000", m.caller());
        assertEquals("publisher", m.server());
        assertEquals("sip-3", m.port());
        assertEquals(6_000, m.durationMs());
        assertEquals(ANSWERED_AT_MS + (recordStartNs - 5_000 * MS) / MS, m.receivedAtMs(), "from the recording start");
        assertArrayEquals(RECORDED, m.wav());
        assertEquals(ConversationState.GOODBYE, conversation.state());
        assertEquals("MESSAGE_RECORDED GOODBYE", lastPlay());

        conversation.playbackDone(now);
        assertEquals("hangUp", out.lastRequest());
        assertEquals(ConversationState.ENDED, conversation.state());
    }

    @Test
    void md4SilenceEndsTheRecordingAndTheMessageIsKept() {
        recordingFor1001();
        now += 12_000 * MS;
        conversation.recordingEnded(RecordingEnd.SILENCE, RECORDED, 2_000, now);
        assertEquals(1, store.stored.size());
        assertEquals(0, out.count("stopRecording"), "the media plane ended it");
        assertEquals(ConversationState.GOODBYE, conversation.state());
    }

    @Test
    void md4TheMaximumLengthEndsTheRecordingAndTheMessageIsKept() {
        recordingFor1001();
        now += 300_000 * MS;
        conversation.recordingEnded(RecordingEnd.MAX_LENGTH, RECORDED, 300_000, now);
        assertEquals(300_000, store.stored.get(0).durationMs());
        assertEquals(ConversationState.GOODBYE, conversation.state());
    }

    @Test
    void md4HangUpWhileRecordingKeepsTheMessageAndEndsWithoutPrompts() {
        recordingFor1001();
        int playsBefore = out.plays.size();
        now += 4_000 * MS;
        conversation.hangUp(now);
        assertEquals("stopRecording", out.lastRequest());
        assertEquals(ConversationState.RECORDING, conversation.state(), "waits for the recorded audio");

        conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 4_000, now);  // whatever reason the media gives

        assertEquals(1, store.stored.size());
        assertEquals(ConversationState.ENDED, conversation.state());
        assertEquals(playsBefore, out.plays.size());
        assertEquals(0, out.count("hangUp"), "the caller hung up: no BYE from here");
    }

    @Test
    void md4HangUpReportedByTheMediaFirstStoresTheMessageOnce() {
        recordingFor1001();
        conversation.recordingEnded(RecordingEnd.HANGUP, RECORDED, 3_000, now);
        conversation.hangUp(now);
        assertEquals(1, store.stored.size());
        assertEquals(ConversationState.ENDED, conversation.state());
        assertEquals(0, out.count("stopRecording"));
    }

    @Test
    void md4ARecordingShorterThanTheMinimumIsDiscarded() {
        recordingFor1001();
        conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 999, now);
        assertEquals(List.of(), store.stored);
        assertEquals(ConversationState.GOODBYE, conversation.state());
        assertEquals("MESSAGE_RECORDED GOODBYE", lastPlay());
    }

    @Test
    void md4ARecordingOfExactlyTheMinimumIsKept() {
        recordingFor1001();
        conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 1_000, now);
        assertEquals(1, store.stored.size());
    }

    @Test
    void md4TheLimitsComeFromTheClusterSettings() {
        ClusterSettings d = ClusterSettings.defaults();
        ClusterSettings short2 = new ClusterSettings(d.autoFailover(), d.autoFailback(), d.failbackHoldDownMs(),
                d.deactivateOnBacklog(), d.replicationBacklogLimit(), d.absorbPeerPortsOnFailover(), d.huntOrder(),
                d.heartbeatIntervalMs(), d.localHeartbeatTimeoutMs(), d.remoteHeartbeatTimeoutMs(),
                d.heartbeatTrace(), d.networkCheck(), 120, 5, 3, 30);
        Conversation c = new Conversation(ConversationSettings.from(short2), store, out);
        c.start(new CallInfo("2000", "1002", null, "subscriber", "sip-9", ANSWERED_AT_MS), now);
        c.playbackDone(now);
        assertEquals("startRecording 120000 5000", out.lastRequest());
        c.recordingEnded(RecordingEnd.SILENCE, RECORDED, 2_999, now);
        assertEquals(List.of(), store.stored, "below the 3 s minimum");
    }

    // ---- MD-3 the owner's conversation

    private void ownerWithThreeMessages() {
        store.message("old-saved", "1001", 1_000, true)
                .message("newest", "1001", 3_000, false)
                .message("middle", "1001", 2_000, false)
                .message("other-box", "1002", 9_000, false);
        start("1001", null);
    }

    @Test
    void md3TheOwnerHearsTheCountsThenTheNewestMessageWithItsMenu() {
        ownerWithThreeMessages();
        assertEquals(ConversationState.MAILBOX, conversation.state());
        assertEquals("1001", conversation.mailbox());
        assertEquals("YOU_HAVE N2 NEW_AND N1 SAVED_MESSAGES MESSAGE N1 <message newest> MESSAGE_MENU", lastPlay());
    }

    @Test
    void md3AMessagePlayedToItsEndIsMarkedHeard() {
        ownerWithThreeMessages();
        conversation.playbackDone(now);
        assertEquals(List.of("newest"), store.heard);
        conversation.playbackDone(now);  // a late duplicate report
        assertEquals(List.of("newest"), store.heard);
    }

    @Test
    void md3SevenDeletesTheMessageAndPlaysTheNext() {
        ownerWithThreeMessages();
        press("7");
        assertEquals(List.of("newest"), store.deleted);
        assertEquals("MESSAGE_DELETED MESSAGE N1 <message middle> MESSAGE_MENU", lastPlay());
    }

    @Test
    void md3NineSavesTheMessageAndPlaysTheNext() {
        ownerWithThreeMessages();
        press("9");
        assertEquals(List.of("newest"), store.heard);
        assertEquals("MESSAGE_SAVED MESSAGE N2 <message middle> MESSAGE_MENU", lastPlay());
    }

    @Test
    void md3HashSkipsAMessageWithoutMarkingIt() {
        ownerWithThreeMessages();
        press("#");
        assertEquals("MESSAGE N2 <message middle> MESSAGE_MENU", lastPlay());
        assertEquals(List.of(), store.heard);
        assertEquals(List.of(), store.deleted);
    }

    @Test
    void md3StarGoesBackAndOnTheFirstMessagePlaysItAgain() {
        ownerWithThreeMessages();
        press("#");
        press("*");
        assertEquals("MESSAGE N1 <message newest> MESSAGE_MENU", lastPlay());
        press("*");
        assertEquals("MESSAGE N1 <message newest> MESSAGE_MENU", lastPlay());
    }

    @Test
    void md3PastTheLastMessageSaysNoMoreMessagesAndGoodbye() {
        ownerWithThreeMessages();
        press("##");
        assertEquals("MESSAGE N3 <message old-saved> MESSAGE_MENU", lastPlay());
        press("7");
        assertEquals("MESSAGE_DELETED NO_MORE_MESSAGES GOODBYE", lastPlay());
        assertEquals(ConversationState.GOODBYE, conversation.state());
        press("9");
        assertEquals(List.of(), store.heard, "no menu after goodbye");
        conversation.playbackDone(now);
        assertEquals("hangUp", out.lastRequest());
        assertEquals(ConversationState.ENDED, conversation.state());
    }

    @Test
    void md3AnOwnerWithoutMessagesHearsZeroAndGoodbye() {
        start("1002", null);
        assertEquals("YOU_HAVE N0 NEW_AND N0 SAVED_MESSAGES GOODBYE", lastPlay());
        assertEquals(ConversationState.GOODBYE, conversation.state());
    }

    @Test
    void md3AMessageDeletedMeanwhileIsSkipped() {
        store.message("a", "1001", 2_000, false).message("b", "1001", 1_000, false);
        store.audio.remove("a");  // deleted from the other server after the list was read
        start("1001", null);
        assertEquals("YOU_HAVE N2 NEW_AND N0 SAVED_MESSAGES MESSAGE N1 <message b> MESSAGE_MENU", lastPlay());
    }

    @Test
    void md3AnUnansweredMenuIsSaidAgainThenGoodbye() {
        ownerWithThreeMessages();
        conversation.playbackDone(now);
        advanceMs(4_999);
        assertEquals(1, out.plays.size(), "not yet: the digit timeout is 5 s");
        advanceMs(1);
        assertEquals("MESSAGE_MENU", lastPlay());
        conversation.playbackDone(now);
        advanceMs(5_000);
        assertEquals("MESSAGE_MENU", lastPlay());
        conversation.playbackDone(now);
        advanceMs(5_000);
        assertEquals("GOODBYE", lastPlay());
        assertEquals(ConversationState.GOODBYE, conversation.state());
    }

    // ---- MD-3 any other caller

    @Test
    void md3AnyOtherCallerEntersAnExtensionThenHashAndIsForwardedToIt() {
        start("2000", null);
        assertEquals(ConversationState.OPENING, conversation.state());
        assertEquals("ENTER_EXTENSION", lastPlay());

        press("1");
        assertEquals("stopPlayback", out.lastRequest(), "a digit interrupts the prompt");
        press("002#");
        assertEquals(1, out.count("stopPlayback"));
        assertEquals(ConversationState.GREETING, conversation.state());
        assertEquals("1002", conversation.mailbox());
        assertEquals("PERSON_AT_EXTENSION N1 N0 N0 N2 IS_NOT_AVAILABLE BEEP", lastPlay());
    }

    @Test
    void md3APauseAfterTheDigitsEndsTheExtension() {
        start(null, null);
        conversation.playbackDone(now);
        press("1001");
        advanceMs(4_999);
        assertEquals(ConversationState.OPENING, conversation.state());
        advanceMs(1);
        assertEquals(ConversationState.GREETING, conversation.state());
        assertEquals("1001", conversation.mailbox());
    }

    @Test
    void md3LettersAreIgnoredAndDoNotCutThePromptShort() {
        start("2000", null);
        press("A");
        assertEquals(0, out.count("stopPlayback"));
        conversation.playbackDone(now);
        press("1D002#");
        assertEquals("1002", conversation.mailbox());
    }

    @Test
    void md3StarStartsTheEntryAgain() {
        start("2000", null);
        press("99*1001#");
        assertEquals("1001", conversation.mailbox());
    }

    @Test
    void md3AnUnknownExtensionIsSaidUnknownAndAskedAgainThreeTriesThenGoodbye() {
        start("2000", null);
        press("99#");
        assertEquals("EXTENSION N9 N9 IS_UNKNOWN ENTER_EXTENSION", lastPlay());
        assertEquals(ConversationState.OPENING, conversation.state());
        press("98#");
        assertEquals("EXTENSION N9 N8 IS_UNKNOWN ENTER_EXTENSION", lastPlay());
        press("97#");
        assertEquals("EXTENSION N9 N7 IS_UNKNOWN GOODBYE", lastPlay());
        assertEquals(ConversationState.GOODBYE, conversation.state());
        conversation.playbackDone(now);
        assertEquals("hangUp", out.lastRequest());
    }

    @Test
    void md3NoDigitsAtAllCountsAsAFailedTry() {
        start("2000", null);
        conversation.playbackDone(now);
        advanceMs(5_000);
        assertEquals("ENTER_EXTENSION", lastPlay());
        assertEquals(2, out.plays.size(), "asked again");
        press("1001#");
        assertEquals(ConversationState.GREETING, conversation.state(), "the second try succeeds");
    }

    // ---- MD-6 states for the port monitor, hang-up, bad input

    @Test
    void md6EveryStateIsPublishedWithTheMailboxItServes() {
        start("2000", null);
        press("1001#");
        conversation.playbackDone(now);
        conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 2_000, now);
        conversation.playbackDone(now);
        assertEquals(List.of("OPENING null", "GREETING 1001", "RECORDING 1001", "GOODBYE 1001", "ENDED 1001"),
                out.states);
    }

    @Test
    void hangUpEndsTheConversationAndLaterEventsAreIgnored() {
        start("2000", "1001");
        conversation.hangUp(now);
        assertEquals(ConversationState.ENDED, conversation.state());
        int requests = out.requests.size();
        conversation.playbackDone(now);
        press("1#");
        advanceMs(10_000);
        conversation.hangUp(now);
        assertEquals(requests, out.requests.size());
        assertEquals(List.of("GREETING 1001", "ENDED 1001"), out.states);
    }

    @Test
    void badEventsAreRefusedNamingTheState() {
        start("2000", "1001");
        IllegalArgumentException digit = assertThrows(IllegalArgumentException.class, () -> conversation.digit('x', now));
        assertTrue(digit.getMessage().contains("'x'") && digit.getMessage().contains("GREETING"), digit.getMessage());
        IllegalStateException recording = assertThrows(IllegalStateException.class,
                () -> conversation.recordingEnded(RecordingEnd.HASH, RECORDED, 2_000, now));
        assertTrue(recording.getMessage().contains("GREETING"), recording.getMessage());
        assertThrows(IllegalStateException.class, () -> start("2000", "1001"));
    }

    @Test
    void settingsRefuseAMinimumNotBelowTheMaximum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConversationSettings(1_000, 10_000, 1_000, 5_000, 3));
        assertTrue(e.getMessage().contains("minMessageMs") && e.getMessage().contains("1000"), e.getMessage());
    }
}
