package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.HostPort;
import io.vmport.config.ServerName;
import io.vmport.config.db.MailboxRow;
import io.vmport.config.db.MessageRow;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** MW-1 on two real nodes: only the PRIMARY sends MWI, from its own SIP port; Make Primary moves the sending. */
class MwiNodePairTest {

    private static String metrics(Node node) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                    + node.config().admin().host() + ":" + node.config().admin().port() + "/metrics"))
                    .header("Authorization", "Bearer t0ken").build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (java.io.IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    @Test
    void mw3ANewPrimarySendsEveryMailboxsCountsFromTheDatabase() throws Exception {
        try (MwiReceiver pbx = new MwiReceiver();
             NodePair pair = NodePair.start(1, Optional.of(new HostPort("127.0.0.1", pbx.port())))) {
            assertNull(pbx.next(300), "no mailbox yet: the PRIMARY sent nothing at start");
            pair.database.mailboxes().create(MailboxRow.of("1001", "Mailbox 1001"), 1_000);
            pair.database.mailboxes().create(MailboxRow.of("1002", "Mailbox 1002"), 1_000);
            pair.database.messages().insert(new MessageRow("m1", "1001", "2000", ServerName.PUBLISHER, "sip-1",
                    1_000, 2_000, false), new byte[1]);
            pair.database.messages().insert(new MessageRow("m2", "1001", "2000", ServerName.PUBLISHER, "sip-1",
                    2_000, 2_000, true), new byte[1]);

            ActionResult made = pair.publisher.perform(AdminAction.MAKE_PRIMARY, ServerName.SUBSCRIBER, false).join();
            assertTrue(made.ok(), made.toString());

            // MW-3: every mailbox exactly once, from the new PRIMARY, though Make Primary moves the epoch twice
            Map<String, MwiReceiver.Notify> sent = new TreeMap<>();
            java.util.List<String> order = new java.util.ArrayList<>();
            MwiReceiver.Notify n = pbx.next(10_000);
            while (n != null) {
                assertEquals(pair.subscriberSip, n.fromPort(), "sent by the new PRIMARY only: " + n);
                sent.put(n.extension(), n);
                order.add(n.extension());
                n = pbx.next(sent.size() < 2 ? 10_000 : 1_500);
            }
            assertEquals("[1001, 1002]", order.stream().sorted().toList().toString(), "once per mailbox: " + order);
            assertEquals("[1001, 1002]", sent.keySet().toString());
            assertTrue(sent.get("1001").body().contains("Messages-Waiting: yes\r\n"), sent.get("1001").body());
            assertTrue(sent.get("1001").body().contains("Voice-Message: 1/1 (0/0)\r\n"), sent.get("1001").body());
            assertTrue(sent.get("1002").body().contains("Messages-Waiting: no\r\n"), sent.get("1002").body());
            assertTrue(sent.get("1002").body().contains("Voice-Message: 0/0 (0/0)\r\n"), sent.get("1002").body());
        }
    }

    @Test
    void mw1OnlyThePrimarySendsAndMakePrimaryMovesTheSending() throws Exception {
        try (MwiReceiver pbx = new MwiReceiver();
             NodePair pair = NodePair.start(1, Optional.of(new HostPort("127.0.0.1", pbx.port())))) {
            assertTrue(pair.publisher.mwi().mailboxChanged("1001", 1, 0));
            MwiReceiver.Notify first = pbx.next(10_000);
            assertNotNull(first, "no NOTIFY from the PRIMARY");
            assertEquals(pair.publisherSip, first.fromPort());
            assertEquals("1001", first.extension());
            assertTrue(first.body().contains("Messages-Waiting: yes\r\n"), first.body());
            assertTrue(first.body().contains("Voice-Message: 1/0 (0/0)\r\n"), first.body());

            assertFalse(pair.subscriber.mwi().mailboxChanged("1002", 1, 0), "the SECONDARY sends none");

            ActionResult made = pair.publisher.perform(AdminAction.MAKE_PRIMARY, ServerName.SUBSCRIBER, false).join();
            assertTrue(made.ok(), made.toString());
            Poll.await("subscriber PRIMARY on both nodes", 10_000,
                    () -> pair.publisher.clusterView().status(ServerName.SUBSCRIBER) == ServerStatus.PRIMARY
                            && pair.subscriber.clusterView().status(ServerName.SUBSCRIBER) == ServerStatus.PRIMARY,
                    pair::describe);

            assertFalse(pair.publisher.mwi().mailboxChanged("1003", 2, 0), "the old PRIMARY sends none");
            assertTrue(pair.subscriber.mwi().mailboxChanged("1003", 0, 2));
            MwiReceiver.Notify moved = pbx.next(10_000);
            assertNotNull(moved, "no NOTIFY from the new PRIMARY");
            assertEquals(pair.subscriberSip, moved.fromPort());
            assertEquals("1003", moved.extension(), "1002 (SECONDARY) and 1003 (old PRIMARY) never went");
            assertTrue(moved.body().contains("Messages-Waiting: no\r\n"), moved.body());
            assertNull(pbx.next(300), "nothing else was sent");
            Poll.await("the new PRIMARY's /metrics count its answered NOTIFY", 10_000,
                    () -> metrics(pair.subscriber).contains("vmport_mwi_notify_answered_total 1.0"),
                    () -> metrics(pair.subscriber));
            String old = metrics(pair.publisher);
            assertTrue(old.contains("vmport_mwi_notify_sent_total 1.0") && old.contains(
                    "vmport_mwi_notify_failed_total 0.0"), old);
        }
    }

    /** POSTs to a node's admin API with the pair's token; returns the status code. */
    private static int post(Node node, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                        + node.config().admin().host() + ":" + node.config().admin().port() + path))
                .header("Authorization", "Bearer t0ken").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void mailboxWithNewMessage(NodePair pair, String extension, String messageId) {
        pair.database.mailboxes().create(MailboxRow.of(extension, "Mailbox " + extension), 1_000);
        pair.database.messages().insert(new MessageRow(messageId, extension, "2000", ServerName.SUBSCRIBER, "sip-2",
                1_000, 2_000, false), new byte[1]);
    }

    /**
     * MW-1: a message marked heard through the SECONDARY's admin API (a change only the SECONDARY's store sees)
     * reaches the PBX as exactly one NOTIFY from the PRIMARY's SIP port, with the new counts; the SECONDARY sends
     * none. The reconcile is at its 30 s default here, so what arrives came over the peer link.
     */
    @Test
    void mw1AChangeMadeOnTheSecondaryIsSentOnceByThePrimary() throws Exception {
        try (MwiReceiver pbx = new MwiReceiver();
             NodePair pair = NodePair.start(1, Optional.of(new HostPort("127.0.0.1", pbx.port())))) {
            mailboxWithNewMessage(pair, "1001", "m1");
            assertNull(pbx.next(300), "written to the database directly: nobody was told");

            assertEquals(200, post(pair.subscriber, "/api/messages/m1/heard"));
            MwiReceiver.Notify n = pbx.next(10_000);
            assertNotNull(n, "no NOTIFY for the change made on the SECONDARY");
            assertEquals(pair.publisherSip, n.fromPort(), "from the PRIMARY's SIP port: " + n);
            assertEquals("1001", n.extension());
            assertTrue(n.body().contains("Messages-Waiting: no\r\n"), n.body());
            assertTrue(n.body().contains("Voice-Message: 0/1 (0/0)\r\n"), n.body());
            assertNull(pbx.next(1_000), "exactly one NOTIFY, none from the SECONDARY");
            assertEquals(1, pair.subscriber.mwi().notPrimaryDropped(), "the SECONDARY dropped its own");
        }
    }

    /**
     * MW-1 with the peer link cut: the SECONDARY's change cannot be forwarded; the PRIMARY's reconcile (every
     * 500 ms here) finds the counts differ from what it sent and sends them, once. The SECONDARY stays SECONDARY:
     * the PRIMARY renews its role in the database (ST-8: only the link is down).
     */
    @Test
    void mw1WithThePeerLinkCutTheReconcileSendsTheSecondarysChange() throws Exception {
        try (MwiReceiver pbx = new MwiReceiver();
             NodePair pair = NodePair.start(1, Optional.of(new HostPort("127.0.0.1", pbx.port())), 500)) {
            mailboxWithNewMessage(pair, "1001", "m1");
            MwiReceiver.Notify lit = pbx.next(10_000);
            assertNotNull(lit, "the reconcile sends a mailbox with messages it never sent");
            assertEquals(pair.publisherSip, lit.fromPort());
            assertTrue(lit.body().contains("Voice-Message: 1/0 (0/0)\r\n"), lit.body());
            assertNull(pbx.next(1_200), "sent once: the next reconciles find nothing that differs");

            pair.subscriber.stopPeerLink();
            Poll.await("the link down on both nodes", 15_000, () -> !pair.publisher.peerConnected()
                    && !pair.subscriber.peerConnected(), pair::describe);
            assertEquals(200, post(pair.subscriber, "/api/messages/m1/heard"));
            MwiReceiver.Notify n = pbx.next(10_000);
            assertNotNull(n, "the reconcile did not send the SECONDARY's change");
            assertEquals(pair.publisherSip, n.fromPort(), "from the PRIMARY: " + n);
            assertEquals("1001", n.extension());
            assertTrue(n.body().contains("Voice-Message: 0/1 (0/0)\r\n"), n.body());
            assertNull(pbx.next(1_200), "exactly one");
            assertEquals(ServerStatus.PRIMARY, pair.publisher.clusterView().status(ServerName.PUBLISHER));
            assertEquals(ServerStatus.SECONDARY, pair.subscriber.clusterView().status(ServerName.SUBSCRIBER),
                    pair.describe());
            assertTrue(pair.publisher.mwi().reconciled() >= 2, "1/0 then 0/1 by the reconcile");
        }
    }
}
