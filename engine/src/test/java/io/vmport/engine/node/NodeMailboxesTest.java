package io.vmport.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmport.config.ServerName;
import io.vmport.config.db.MessageRow;
import io.vmport.engine.cli.VmportMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A running node wires the write side of SPEC MS-3 and the MWI hook (MW-1): mailbox and message changes asked of
 * either node's admin API reach the database, and that node's {@link Node#mailboxCounts()} listener hears the
 * counts after each.
 */
class NodeMailboxesTest {

    private static void cli(Node node, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = "http://127.0.0.1:" + node.config().admin().port();
        all[args.length + 2] = "--token";
        all[args.length + 3] = "t0ken";
        StringWriter err = new StringWriter();
        int exit = VmportMain.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), all);
        assertEquals(0, exit, String.join(" ", args) + ": " + err);
    }

    @Test
    void ms3_mw1_changesThroughEitherNodeReachTheDatabaseAndThatNodesCountsListener() throws Exception {
        try (NodePair pair = NodePair.start(1)) {
            List<String> publisherTold = new CopyOnWriteArrayList<>();
            List<String> subscriberTold = new CopyOnWriteArrayList<>();
            pair.publisher.mailboxCounts().listen((e, n, o) -> publisherTold.add(e + " " + n + "/" + o));
            pair.subscriber.mailboxCounts().listen((e, n, o) -> subscriberTold.add(e + " " + n + "/" + o));

            cli(pair.publisher, "mailbox", "add", "1001");
            pair.database.messages().insert(new MessageRow("m-1", "1001", "2000", ServerName.PUBLISHER, "sip-1", 1,
                    1_000, false), new byte[1]);
            cli(pair.publisher, "message", "heard", "m-1");
            assertEquals(List.of("1001 0/1"), publisherTold);

            cli(pair.subscriber, "mailbox", "delete", "1001", "--force");
            assertEquals(List.of("1001 0/0"), subscriberTold);
            assertEquals(List.of(), pair.database.mailboxes().all());
            assertEquals(List.of("1001 0/1"), publisherTold, "each node tells its own listener");
        }
    }
}
