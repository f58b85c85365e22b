package io.vmport.config.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Mailboxes and their greetings (SPEC MS-1, MS-3). */
public final class MailboxRepository {
    private static final String COLUMNS = "extension, name, greeting IS NOT NULL AS has_greeting";

    private final Jdbc jdbc;

    MailboxRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every mailbox, by extension. */
    public List<MailboxRow> all() {
        return jdbc.call("read the mailboxes", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mailbox ORDER BY extension");
                 ResultSet rs = ps.executeQuery()) {
                List<MailboxRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(read(rs));
                }
                return rows;
            }
        });
    }

    /** The mailbox of {@code extension}, or empty; empty too for text that is no extension. */
    public Optional<MailboxRow> find(String extension) {
        if (!MailboxRow.isExtension(extension)) {
            return Optional.empty();
        }
        return jdbc.call("read mailbox " + extension, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mailbox WHERE extension = ?")) {
                ps.setString(1, extension);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Creates the mailbox; false when its extension already has one (nothing changed). */
    public boolean create(MailboxRow mailbox, long nowMs) {
        return jdbc.call("create mailbox " + mailbox.extension(), c -> insertIfAbsent(c, mailbox, nowMs));
    }

    /**
     * Creates {@code mailboxes} when there is no mailbox at all, in one transaction that runs one at a time across
     * the cluster, so that two nodes starting together create them once.
     *
     * @return whether they were created
     */
    public boolean createAllIfNone(Collection<MailboxRow> mailboxes, long nowMs) {
        return jdbc.transaction("create " + mailboxes.size() + " mailboxes", c -> {
            Jdbc.lockPrimaryRole(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mailbox LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            for (MailboxRow m : mailboxes) {
                insertIfAbsent(c, m, nowMs);
            }
            return true;
        });
    }

    /** Deletes the mailbox and its messages; false when there was none. */
    public boolean delete(String extension) {
        if (!MailboxRow.isExtension(extension)) {
            return false;
        }
        return jdbc.transaction("delete mailbox " + extension, c -> {
            try (PreparedStatement messages = c.prepareStatement("DELETE FROM message WHERE mailbox = ?");
                 PreparedStatement mailbox = c.prepareStatement("DELETE FROM mailbox WHERE extension = ?")) {
                messages.setString(1, extension);
                messages.executeUpdate();
                mailbox.setString(1, extension);
                return mailbox.executeUpdate() == 1;
            }
        });
    }

    /** The mailbox's own greeting (an 8 kHz mono WAV file), or empty when it has none or there is no mailbox. */
    public Optional<byte[]> greeting(String extension) {
        if (!MailboxRow.isExtension(extension)) {
            return Optional.empty();
        }
        return jdbc.call("read the greeting of mailbox " + extension, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT greeting FROM mailbox WHERE extension = ?")) {
                ps.setString(1, extension);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /** Replaces the mailbox's greeting ({@code null}: back to the system greeting); false when there is no mailbox. */
    public boolean setGreeting(String extension, byte[] wav) {
        if (!MailboxRow.isExtension(extension)) {
            return false;
        }
        return jdbc.call("store the greeting of mailbox " + extension, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mailbox SET greeting = ? WHERE extension = ?")) {
                ps.setBytes(1, wav);
                ps.setString(2, extension);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public long count() {
        return jdbc.call("count the mailboxes", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mailbox");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** MySQL and MariaDB error 1062: duplicate entry for a key. */
    private static final int DUPLICATE_KEY = 1062;

    private static boolean insertIfAbsent(Connection c, MailboxRow m, long nowMs) throws SQLException {
        // A plain INSERT whose duplicate-key error is the answer: the driver reports found rows, not changed
        // ones, so the row count of an "ON DUPLICATE KEY UPDATE" could not tell the two apart.
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mailbox (extension, name, greeting, created_at_ms) VALUES (?, ?, NULL, ?)")) {
            ps.setString(1, m.extension());
            ps.setString(2, m.name());
            ps.setLong(3, nowMs);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static MailboxRow read(ResultSet rs) throws SQLException {
        return new MailboxRow(rs.getString("extension"), rs.getString("name"), rs.getBoolean("has_greeting"));
    }
}
