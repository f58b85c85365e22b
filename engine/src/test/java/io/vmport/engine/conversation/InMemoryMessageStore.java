package io.vmport.engine.conversation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conversation's message store as a few maps, recording what was stored, heard and deleted. */
final class InMemoryMessageStore implements MessageStore {
    final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();
    final Map<String, byte[]> greetings = new LinkedHashMap<>();
    final Map<String, MessageSummary> messages = new LinkedHashMap<>();
    final Map<String, byte[]> audio = new LinkedHashMap<>();
    final List<NewMessage> stored = new ArrayList<>();
    final List<String> heard = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    InMemoryMessageStore mailbox(String extension, byte[] greeting) {
        mailboxes.put(extension, new Mailbox(extension, "Mailbox " + extension, greeting != null));
        if (greeting != null) {
            greetings.put(extension, greeting);
        }
        return this;
    }

    InMemoryMessageStore message(String id, String mailbox, long receivedAtMs, boolean heard) {
        messages.put(id, new MessageSummary(id, mailbox, "2000", "publisher", "sip-1", receivedAtMs, 4_000, heard));
        audio.put(id, ("audio " + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return this;
    }

    @Override
    public Optional<Mailbox> mailbox(String extension) {
        return Optional.ofNullable(mailboxes.get(extension));
    }

    @Override
    public Optional<byte[]> greeting(String extension) {
        return Optional.ofNullable(greetings.get(extension));
    }

    @Override
    public List<MessageSummary> messages(String extension) {
        return messages.values().stream().filter(m -> m.mailbox().equals(extension))
                .sorted(Comparator.comparingLong(MessageSummary::receivedAtMs).reversed()).toList();
    }

    @Override
    public Optional<byte[]> audio(String messageId) {
        return Optional.ofNullable(audio.get(messageId));
    }

    @Override
    public void store(NewMessage message) {
        stored.add(message);
    }

    @Override
    public void markHeard(String messageId) {
        heard.add(messageId);
    }

    @Override
    public void delete(String messageId) {
        deleted.add(messageId);
        messages.remove(messageId);
        audio.remove(messageId);
    }
}
