package io.vmport.engine.messages;

import io.vmport.config.ServerName;
import io.vmport.config.db.MessageRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's message spool (SPEC MS-2): one file per message not yet in the database, so that neither a database
 * outage nor a restart loses one. A file is written whole or not at all: to {@code <id>.tmp}, forced to disk, then
 * renamed to {@code <id>.msg}; a {@code .tmp} left by a crash is an incomplete write and is removed at start (its
 * message was never acknowledged as kept).
 *
 * <p>A spool file, big-endian ({@link DataOutputStream}; text as modified UTF-8 with a u16 length):
 * <pre>
 * +------------+---------+----+---------+-----------------+--------+------+----------------+------------+-------+-------------+-------+
 * | "VMSG" u32 | ver u16 | id | mailbox | hasCaller u8    | server | port | receivedAt u64 | durationMs | heard | audio u32   | audio |
 * | 0x564D5347 | 1       | utf| utf     | (then caller utf)| utf    | utf  | epoch ms       | u64        | u8    | byte count  | bytes |
 * +------------+---------+----+---------+-----------------+--------+------+----------------+------------+-------+-------------+-------+
 * </pre>
 */
public final class MessageSpool {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSpool.class);
    static final int MAGIC = 0x564D5347;  // "VMSG"
    static final int VERSION = 1;
    static final String SUFFIX = ".msg";
    static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;

    /**
     * Opens the spool in {@code directory} (made on the first write) and removes incomplete writes.
     *
     * @throws UncheckedIOException when the directory cannot be read
     */
    public MessageSpool(Path directory) {
        this.directory = directory.toAbsolutePath();
        if (!Files.isDirectory(this.directory)) {
            return;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(this.directory, "*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                LOG.warn("message spool {}: removing {}, a write cut short before it was kept", this.directory,
                        t.getFileName());
                Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the message spool " + this.directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Keeps the message on disk; returns once it is there (forced) under its final name.
     *
     * @throws UncheckedIOException when it cannot be written (disk full, no permission): it is not kept
     */
    Path write(SpooledMessage message) {
        String id = message.row().id();
        Path temp = directory.resolve(id + TEMP_SUFFIX);
        Path target = directory.resolve(id + SUFFIX);
        try {
            Files.createDirectories(directory);
            byte[] bytes = encode(message);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
            return target;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot keep message " + id + " (" + message.audio().length
                    + " bytes) in the spool " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Forces the rename to disk too, where the file system allows a directory to be forced (Linux does). */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("message spool {}: cannot force the directory: {}", directory, e.toString());
        }
    }

    /** Sets a file that cannot be read aside as {@code <name>.bad}, kept for the operator, no longer retried. */
    Path setAside(Path file) {
        Path bad = file.resolveSibling(file.getFileName() + ".bad");
        try {
            Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            return bad;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set aside spooled message " + file + ": " + e.getMessage(), e);
        }
    }

    /** The kept messages' files, oldest first (by file time, then name). */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the message spool " + directory + ": " + e.getMessage(), e);
        }
        files.sort((a, b) -> {
            int byTime = Long.compare(modified(a), modified(b));
            return byTime != 0 ? byTime : a.compareTo(b);
        });
        return files;
    }

    /** How many messages are kept. */
    int size() {
        return files().size();
    }

    /**
     * Reads a kept message.
     *
     * @throws UncheckedIOException when it cannot be read, or is not a spool file of this version
     */
    SpooledMessage read(Path file) {
        try {
            return decode(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spooled message " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets a kept message, once it is in the database. */
    void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove spooled message " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] encode(SpooledMessage message) throws IOException {
        MessageRow r = message.row();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.audio().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeUTF(r.id());
            out.writeUTF(r.mailbox());
            out.writeBoolean(r.caller() != null);
            if (r.caller() != null) {
                out.writeUTF(r.caller());
            }
            out.writeUTF(r.server().configName());
            out.writeUTF(r.port());
            out.writeLong(r.receivedAtMs());
            out.writeLong(r.durationMs());
            out.writeBoolean(r.heard());
            out.writeInt(message.audio().length);
            out.write(message.audio());
        }
        return bytes.toByteArray();
    }

    static SpooledMessage decode(byte[] bytes, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            int version = in.readUnsignedShort();
            if (magic != MAGIC || version != VERSION) {
                throw new IOException("not a version " + VERSION + " spool file (magic 0x" + Integer.toHexString(magic)
                        + ", version " + version + ")");
            }
            String id = in.readUTF();
            String mailbox = in.readUTF();
            String caller = in.readBoolean() ? in.readUTF() : null;
            ServerName server = ServerName.fromConfigName("spool " + file + " server", in.readUTF());
            String port = in.readUTF();
            long receivedAtMs = in.readLong();
            long durationMs = in.readLong();
            boolean heard = in.readBoolean();
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IOException("audio length " + length + " but " + in.available() + " bytes follow");
            }
            byte[] audio = in.readNBytes(length);
            return new SpooledMessage(new MessageRow(id, mailbox, caller, server, port, receivedAtMs, durationMs, heard),
                    audio);
        } catch (RuntimeException e) {  // a row refused by MessageRow, a bad server name
            throw new IOException(e.getMessage(), e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;  // vanished meanwhile: last, and read() will say so
        }
    }

    @Override
    public String toString() {
        return "MessageSpool[" + directory + "]";
    }
}
