package io.vmport.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmport.config.ServerName;
import io.vmport.engine.calls.CallReason;
import io.vmport.engine.routing.RefuseCause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reply thread is known by identity, not by its name (issue 17 item 6): an adapter asks
 * {@link Pipeline#onStageThread()} whether it may publish itself or must hand the work to its own thread
 * (CallReply's contract).
 */
class StageThreadIdentityTest {
    private static final int PORTS_PER_SERVER = 2;

    @Test
    void aReplyRunsOnAStageThread_callersAndLookAlikeThreadsDoNot() throws Exception {
        Pipeline pipeline = new Pipeline(PipelineSettings.defaults(TestRouters.portCount(PORTS_PER_SERVER))
                .withTickIntervalNs(0), TestRouters.sipTrunk(PORTS_PER_SERVER), new RecordingJournalSink(),
                new ManualClock());
        pipeline.start();
        try {
            CompletableFuture<Boolean> replyOnStage = new CompletableFuture<>();
            pipeline.producer().offer(ServerName.PUBLISHER, -1, "c1", "1001", "5000", "", CallReason.DIRECT,
                    new Recorder(() -> replyOnStage.complete(pipeline.onStageThread())));
            assertTrue(replyOnStage.get(10, TimeUnit.SECONDS), "the reply runs on a stage thread");
            assertFalse(pipeline.onStageThread(), "the test's own thread");

            CompletableFuture<Boolean> lookAlike = new CompletableFuture<>();
            Thread named = new Thread(() -> lookAlike.complete(pipeline.onStageThread()),
                    pipeline.settings().threadNamePrefix() + "-reply");
            named.start();
            assertFalse(lookAlike.get(10, TimeUnit.SECONDS), "a thread only named like a stage thread");
        } finally {
            pipeline.stop();
        }
    }

    /** Runs {@code onReply} on whichever reply comes. */
    private record Recorder(Runnable onReply) implements CallReply {
        @Override
        public void answer(int portIndex) {
            onReply.run();
        }

        @Override
        public void redirect(ServerName to) {
            onReply.run();
        }

        @Override
        public void refuse(RefuseCause cause) {
            onReply.run();
        }

        @Override
        public void hangUp() {
            onReply.run();
        }
    }
}
