package io.vmport.engine.admin;

import io.vmport.config.ServerName;
import io.vmport.config.db.MessageRow;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MS-1: the message listing's JSON, written field by field, is the DESIGN section 4 shape, nulls and order kept. */
class MessagesJsonTest {

    private static final MessageRow HEARD = new MessageRow("m-1", "1001", "+33 1 23 \"x\"", ServerName.SUBSCRIBER,
            "sip-3", 1_700_000_000_000L, 2_500, true);
    private static final MessageRow NEW = new MessageRow("m-2", "1001", null, ServerName.PUBLISHER, "sip-1",
            1_700_000_001_000L, 0, false);

    @Test
    void ms1_listing_everyFieldInOrder_callerNullAndEscaped() {
        assertEquals("{\"messages\":["
                        + "{\"id\":\"m-2\",\"mailbox\":\"1001\",\"caller\":null,\"server\":\"publisher\",\"port\":\"sip-1\","
                        + "\"receivedAt\":\"2023-11-14T22:13:21Z\",\"durationMs\":0,\"heard\":false},"
                        + "{\"id\":\"m-1\",\"mailbox\":\"1001\",\"caller\":\"+33 1 23 \\\"x\\\"\",\"server\":\"subscriber\","
                        + "\"port\":\"sip-3\",\"receivedAt\":\"2023-11-14T22:13:20Z\",\"durationMs\":2500,\"heard\":true}]}",
                new String(JsonViews.messagesJson(List.of(NEW, HEARD)), StandardCharsets.UTF_8));
        assertEquals("{\"messages\":[]}", new String(JsonViews.messagesJson(List.of()), StandardCharsets.UTF_8));
    }

    @Test
    void ms1_oneMessage_heardAsGiven() {
        assertEquals("{\"message\":{\"id\":\"m-2\",\"mailbox\":\"1001\",\"caller\":null,\"server\":\"publisher\","
                        + "\"port\":\"sip-1\",\"receivedAt\":\"2023-11-14T22:13:21Z\",\"durationMs\":0,\"heard\":true}}",
                new String(JsonViews.messageJson(NEW, true), StandardCharsets.UTF_8));
    }
}
