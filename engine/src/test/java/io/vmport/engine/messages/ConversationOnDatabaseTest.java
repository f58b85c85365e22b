package io.vmport.engine.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.ClusterSettings;
import io.vmport.config.db.Database;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.db.TestDatabase;
import io.vmport.config.testing.Poll;
import io.vmport.engine.conversation.AudioClip;
import io.vmport.engine.conversation.CallInfo;
import io.vmport.engine.conversation.Clip;
import io.vmport.engine.conversation.Conversation;
import io.vmport.engine.conversation.ConversationOutput;
import io.vmport.engine.conversation.ConversationSettings;
import io.vmport.engine.conversation.ConversationState;
import io.vmport.engine.conversation.RecordingEnd;
import io.vmport.engine.conversation.Wav;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MD-3 and MS-1 end to end without sockets: a forwarded call leaves a message through the node's store into the
 * real database, and the mailbox's owner then hears it and deletes it there.
 */
class ConversationOnDatabaseTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path spool;

    /** Keeps what was played; nothing else matters here. */
    private static final class Plays implements ConversationOutput {
        final List<List<Clip>> plays = new ArrayList<>();

        @Override
        public void play(List<Clip> clips) {
            plays.add(clips);
        }

        @Override
        public void stopPlayback() {
        }

        @Override
        public void startRecording(long maxMs, long silenceMs) {
        }

        @Override
        public void stopRecording() {
        }

        @Override
        public void hangUp() {
        }
    }

    @Test
    void md3_ms1_aMessageLeftOnAForwardedCallIsHeardAndDeletedByTheOwner() {
        try (Database db = TestDatabase.openFresh()) {
            db.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1);
            MessageWriter writer = new MessageWriter(db, new MessageSpool(spool), "test-message-writer");
            writer.start();
            try {
                DatabaseMessageStore store = new DatabaseMessageStore(db, writer);
                ConversationSettings settings = ConversationSettings.from(ClusterSettings.defaults());
                byte[] wav = Wav.encode(new short[16_000], 16_000);

                Conversation caller = new Conversation(settings, store, new Plays());
                caller.start(new CallInfo("2000", "1001", "900", "subscriber", "sip-4", 1_700_000_000_000L), 0);
                caller.playbackDone(3_000 * MS);
                caller.digit('#', 5_000 * MS);
                caller.recordingEnded(RecordingEnd.HASH, wav, 2_000, 5_000 * MS);
                Poll.await("the message stored", 20_000, () -> db.messages().count() == 1, writer::toString);
                MessageRow stored = db.messages().forMailbox("1001").get(0);
                assertEquals("2000", stored.caller());
                assertEquals(1_700_000_003_000L, stored.receivedAtMs());

                Plays ownerHears = new Plays();
                Conversation owner = new Conversation(settings, store, ownerHears);
                owner.start(new CallInfo("1001", null, "900", "publisher", "sip-1", 1_700_000_100_000L), 0);
                assertEquals(ConversationState.MAILBOX, owner.state());
                AudioClip message = (AudioClip) ownerHears.plays.get(0).stream()
                        .filter(c -> c instanceof AudioClip).findFirst().orElseThrow();
                assertArrayEquals(wav, message.wav());
                owner.digit('7', MS);
                assertEquals(0, db.messages().count(), "deleted");
                assertEquals(ConversationState.GOODBYE, owner.state());
            } finally {
                writer.close(5_000);
            }
        }
    }
}
