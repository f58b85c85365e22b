package io.vmport.engine.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmport.config.db.MailboxDeletion;
import io.vmport.config.db.MailboxRow;
import io.vmport.engine.messages.Mailboxes;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The admin API's changes to mailboxes and messages (SPEC MS-3, DESIGN section 4), run off the event loop since
 * they wait for the database:
 *
 * <pre>
 * POST   /api/mailboxes  {"extension","name"}     201 with the mailbox; 409 if it exists; 400 with the reason
 * DELETE /api/mailboxes/EXT[?force=true]         200 {"deleted","messagesDeleted"}; 409 while it has messages
 *                                                and force is not given, with {"messages"}; 404 if unknown
 * PUT    /api/mailboxes/EXT/greeting  audio/wav  200; 400 with the reason the file is refused; 404 if unknown
 * DELETE /api/mailboxes/EXT/greeting             200, back to the system greeting; 404 if unknown
 * POST   /api/messages/ID/heard                  200 with the message; 404 if unknown
 * DELETE /api/messages/ID                        200 {"deleted","mailbox"}; 404 if unknown
 * </pre>
 *
 * The name of a new mailbox defaults to "Mailbox EXT", as the demo names its mailboxes.
 */
final class MailboxRoutes {
    private static final String MAILBOXES = "/api/mailboxes";
    private static final String MAILBOX = "/api/mailboxes/";
    private static final String MESSAGE = "/api/messages/";
    private static final Set<String> MAILBOX_FIELDS = Set.of("extension", "name");

    private final AdminBackend backend;
    private final Executor blocking;

    MailboxRoutes(AdminBackend backend, Executor blocking) {
        this.backend = backend;
        this.blocking = blocking;
    }

    /** The answer to a change of a mailbox or message, or null for a request that is none (a query, another path). */
    CompletableFuture<AdminResponse> route(String method, String path, Map<String, List<String>> params, byte[] body) {
        if (path.equals(MAILBOXES)) {
            return method.equals("POST") ? create(params, body) : null;
        }
        if (path.startsWith(MAILBOX)) {
            String[] parts = path.substring(MAILBOX.length()).split("/", -1);
            String extension = parts[0];
            if (parts.length == 1) {
                return method.equals("DELETE") ? deleteMailbox(extension, params) : notAllowed(method, "DELETE");
            }
            if (parts.length == 2 && parts[1].equals("greeting")) {
                return switch (method) {
                    case "PUT" -> greeting(extension, params, body);
                    case "DELETE" -> greeting(extension, params, null);
                    default -> notAllowed(method, "PUT, DELETE");
                };
            }
            return null;
        }
        if (path.startsWith(MESSAGE)) {
            String[] parts = path.substring(MESSAGE.length()).split("/", -1);
            String id = parts[0];
            if (parts.length == 1) {
                return method.equals("DELETE") ? deleteMessage(id, params) : notAllowed(method, "DELETE");
            }
            if (parts.length == 2 && parts[1].equals("heard")) {
                return method.equals("POST") ? heard(id, params) : notAllowed(method, "POST");
            }
        }
        return null;
    }

    private static CompletableFuture<AdminResponse> notAllowed(String method, String allow) {
        return AdminRoutes.done(AdminRoutes.notAllowed(method, allow));
    }

    private CompletableFuture<AdminResponse> create(Map<String, List<String>> params, byte[] body) {
        AdminRoutes.only(params);
        JsonNode json = mailboxJson(body);
        String extension = text(json, "extension");
        String name = json.has("name") ? text(json, "name") : "Mailbox " + extension;
        return change(m -> {
            boolean created;
            try {
                created = m.create(extension, name, backend.epochMs(backend.nowNs()));
            } catch (IllegalArgumentException e) {
                return AdminResponse.error(400, e.getMessage());
            }
            if (!created) {
                return AdminResponse.error(409, "mailbox " + extension + " already exists");
            }
            return AdminResponse.json(201, JsonViews.mailbox(MailboxRow.of(extension, name.strip())));
        });
    }

    private static JsonNode mailboxJson(byte[] body) {
        JsonNode json;
        try {
            json = JsonViews.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AdminRoutes.BadRequest("the body must be JSON {\"extension\": \"1001\", \"name\": \"...\"}: "
                    + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new AdminRoutes.BadRequest("the body must be a JSON object {\"extension\": \"1001\","
                    + " \"name\": \"...\"}, was " + (json == null || json.isMissingNode() ? "empty"
                    : json.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!MAILBOX_FIELDS.contains(field)) {
                throw new AdminRoutes.BadRequest("unknown field " + field + "; allowed: extension, name");
            }
        }
        if (!json.has("extension")) {
            throw new AdminRoutes.BadRequest("the body has no extension; send {\"extension\": \"1001\","
                    + " \"name\": \"...\"}");
        }
        return json;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (!v.isTextual()) {
            throw new AdminRoutes.BadRequest(field + " must be a JSON string, was " + v);
        }
        return v.asText();
    }

    private CompletableFuture<AdminResponse> deleteMailbox(String extension, Map<String, List<String>> params) {
        AdminRoutes.only(params, "force");
        boolean force = AdminRoutes.force(params);
        return change(m -> {
            MailboxDeletion d = m.delete(extension, force);
            return switch (d.outcome()) {
                case NO_MAILBOX -> noMailbox(extension);
                case HAS_MESSAGES -> {
                    Map<String, Object> refused = new LinkedHashMap<>();
                    refused.put("error", "mailbox " + extension + " has " + d.messages() + " message"
                            + (d.messages() == 1 ? "" : "s") + "; add ?force=true to delete them too");
                    refused.put("mailbox", extension);
                    refused.put("messages", d.messages());
                    yield AdminResponse.json(409, refused);
                }
                case DELETED -> {
                    Map<String, Object> done = new LinkedHashMap<>();
                    done.put("deleted", extension);
                    done.put("messagesDeleted", d.messages());
                    yield AdminResponse.json(200, done);
                }
            };
        });
    }

    /** PUT with the WAV file as {@code wav}, or DELETE with null. */
    private CompletableFuture<AdminResponse> greeting(String extension, Map<String, List<String>> params, byte[] wav) {
        AdminRoutes.only(params);
        return change(m -> {
            boolean found;
            try {
                found = wav == null ? m.deleteGreeting(extension) : m.setGreeting(extension, wav);
            } catch (IllegalArgumentException e) {
                return AdminResponse.error(400, e.getMessage());
            }
            if (!found) {
                return noMailbox(extension);
            }
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("extension", extension);
            done.put("hasGreeting", wav != null);
            return AdminResponse.json(200, done);
        });
    }

    private CompletableFuture<AdminResponse> heard(String id, Map<String, List<String>> params) {
        AdminRoutes.only(params);
        return change(m -> m.markHeard(id)
                .map(row -> AdminResponse.jsonBytes(200, JsonViews.messageJson(row, true)))
                .orElseGet(() -> noMessage(id)));
    }

    private CompletableFuture<AdminResponse> deleteMessage(String id, Map<String, List<String>> params) {
        AdminRoutes.only(params);
        return change(m -> m.deleteMessage(id).map(row -> {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("deleted", row.id());
            done.put("mailbox", row.mailbox());
            return AdminResponse.json(200, done);
        }).orElseGet(() -> noMessage(id)));
    }

    private CompletableFuture<AdminResponse> change(Function<Mailboxes, AdminResponse> work) {
        return AdminRoutes.onBlocking(blocking, () -> backend.mailboxes().map(work)
                .orElseGet(() -> AdminResponse.error(503, "this node keeps no mailboxes")));
    }

    private static AdminResponse noMailbox(String extension) {
        return AdminResponse.error(404, "no such mailbox: " + extension);
    }

    private static AdminResponse noMessage(String id) {
        return AdminResponse.error(404, "no such message: " + id);
    }
}
