package io.vmport.engine.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Logs a stage's failure with the event it failed on, counts it, and lets the stage go on with the next event:
 * one bad event or one broken adapter never stops the pipeline. (Disruptor's default handler halts the stage.)
 */
final class LoggingExceptionHandler implements ExceptionHandler<PipelineEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingExceptionHandler.class);

    private final String stage;
    private final LongAdder failures;

    LoggingExceptionHandler(String stage, LongAdder failures) {
        this.stage = stage;
        this.failures = failures;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, PipelineEvent event) {
        String described;
        try {
            described = String.valueOf(event);
        } catch (RuntimeException describing) {
            described = "(event not printable: " + describing + ")";
        }
        LOG.error("pipeline stage {} failed on sequence {}, event {}; the pipeline goes on", stage, sequence,
                described, ex);
        failures.increment(); // after the log line: a counted failure has been logged
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        failures.increment();
        LOG.error("pipeline stage {} failed to start; it runs anyway", stage, ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        failures.increment();
        LOG.error("pipeline stage {} failed while stopping", stage, ex);
    }
}
