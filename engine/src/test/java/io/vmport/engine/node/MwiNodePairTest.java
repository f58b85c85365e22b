package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.HostPort;
import io.vmport.config.ServerName;
import io.vmport.config.testing.Poll;
import io.vmport.engine.cluster.ActionResult;
import io.vmport.engine.cluster.AdminAction;
import io.vmport.engine.cluster.ServerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
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
}
