package io.vmport.config.db;

import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Messages with their audio (SPEC MS-1). An insert skips an id already stored, so a message written again after
 * a database outage (MS-2) or by both sides after a split brain (ST-12) is stored exactly once.
 */
public final class MessageRepository {
    /** What a {@link MessageRow} is read from, in this order ({@code read} takes them by position). */
    private static final String COLUMNS = "id, mailbox, caller, server, port, received_at_ms, duration_ms, heard";

    private final Jdbc jdbc;

    MessageRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the message with its audio (an 8 kHz mono WAV file); nothing when its id is already stored. On a
     * {@link DatabaseException} nothing was stored and it can be written again.
     */
    public void insert(MessageRow m, byte[] audio) {
        if (audio == null) {
            throw new IllegalArgumentException("message " + m.id() + ": audio must not be null");
        }
        jdbc.call("store message " + m.id() + " (" + audio.length + " bytes)", c -> {
            // "ON DUPLICATE KEY UPDATE id = id" skips a stored id without INSERT IGNORE's hiding of other errors.
            // A server-side prepared statement: the audio goes in the binary protocol as it is. Connector/J's
            // default client-side statement escapes a BLOB byte by byte into the SQL text, which was most of the
            // message writer's CPU with hundreds of calls leaving messages (BENCHMARKS.md, issue 13).
            try (PreparedStatement ps = c.unwrap(JdbcConnection.class).serverPrepareStatement("INSERT INTO message ("
                    + COLUMNS + ", audio) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id")) {
                ps.setString(1, m.id());
                ps.setString(2, m.mailbox());
                ps.setString(3, m.caller());
                ps.setString(4, m.server().configName());
                ps.setString(5, m.port());
                ps.setLong(6, m.receivedAtMs());
                ps.setLong(7, m.durationMs());
                ps.setBoolean(8, m.heard());
                ps.setBytes(9, audio);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The mailbox's messages, newest first; empty for an unknown mailbox. */
    public List<MessageRow> forMailbox(String extension) {
        if (!MailboxRow.isExtension(extension)) {
            return List.of();
        }
        return jdbc.call("read the messages of mailbox " + extension, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM message WHERE mailbox = ? ORDER BY received_at_ms DESC, id DESC")) {
                ps.setString(1, extension);
                try (ResultSet rs = ps.executeQuery()) {
                    List<MessageRow> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                    return rows;
                }
            }
        });
    }

    /** The message {@code id}, or empty. */
    public Optional<MessageRow> find(String id) {
        return jdbc.call("read message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM message WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The message's audio (an 8 kHz mono WAV file), or empty when there is no such message. */
    public Optional<byte[]> audio(String id) {
        return jdbc.call("read the audio of message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT audio FROM message WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** Marks the message heard; false when there is no such message. */
    public boolean markHeard(String id) {
        return jdbc.call("mark message " + id + " heard", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE message SET heard = TRUE WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Deletes the message; false when there was none. */
    public boolean delete(String id) {
        return jdbc.call("delete message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM message WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * The mailbox's new and old message counts (zero for a mailbox without messages), read through the
     * {@code message_newest} index's mailbox prefix; the audio is not read.
     */
    public MailboxCountsRow counts(String extension) {
        MailboxRow.requireExtension(extension);
        return jdbc.call("count the messages of mailbox " + extension, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(NOT heard), 0), COALESCE(SUM(heard), 0)"
                    + " FROM message WHERE mailbox = ?")) {
                ps.setString(1, extension);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new MailboxCountsRow(extension, rs.getInt(1), rs.getInt(2));
                }
            }
        });
    }

    /**
     * Every mailbox's counts in one query (SPEC MW-3: what a new PRIMARY sends), by extension; a mailbox without
     * messages has 0 and 0, and messages of a deleted mailbox are left out.
     */
    public List<MailboxCountsRow> countsByMailbox() {
        return jdbc.call("count the messages of every mailbox", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT b.extension,"
                    + " COALESCE(SUM(NOT m.heard), 0), COALESCE(SUM(m.heard), 0)"
                    + " FROM mailbox b LEFT JOIN message m ON m.mailbox = b.extension"
                    + " GROUP BY b.extension ORDER BY b.extension");
                 ResultSet rs = ps.executeQuery()) {
                List<MailboxCountsRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new MailboxCountsRow(rs.getString(1), rs.getInt(2), rs.getInt(3)));
                }
                return rows;
            }
        });
    }

    public long count() {
        return jdbc.call("count the messages", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM message");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A row selected as {@link #COLUMNS}, read by position: a lookup by name per column was a tenth of a listing. */
    private static MessageRow read(ResultSet rs) throws SQLException {
        return new MessageRow(rs.getString(1), rs.getString(2), rs.getString(3),
                Columns.server(rs.getString(4), "message.server"), rs.getString(5), rs.getLong(6), rs.getLong(7),
                rs.getBoolean(8));
    }
}
