package io.vmport.engine.voice;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of {@link VoicePorts}' lanes: a single-threaded executor that runs the conversations of the calls pinned to it,
 * and one ticker every {@value VoiceCall#TICK_MS} ms for all of its started calls (their digit timeouts), rather than a
 * scheduled task per call: a call's start and end cost the lane no scheduled-task queue work (issue 16 item 7). The
 * ticker starts with the lane's first call. Its call list is touched on the lane only.
 */
final class VoiceLane {
    private final EventExecutor executor;
    private final List<VoiceCall> calls = new ArrayList<>();
    private boolean ticking;

    VoiceLane(EventExecutor executor) {
        this.executor = executor;
    }

    EventExecutor executor() {
        return executor;
    }

    /** On the lane: {@code call}'s conversation ticks from now on, until {@link #remove}. */
    void add(VoiceCall call) {
        call.laneSlot = calls.size();
        calls.add(call);
        if (!ticking) {
            ticking = true;
            executor.scheduleAtFixedRate(this::tick, VoiceCall.TICK_MS, VoiceCall.TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** On the lane: {@code call} ticks no more. O(1): the last call takes its slot. */
    void remove(VoiceCall call) {
        int slot = call.laneSlot;
        if (slot < 0) {
            return;
        }
        VoiceCall last = calls.remove(calls.size() - 1);
        if (last != call) {
            calls.set(slot, last);
            last.laneSlot = slot;
        }
        call.laneSlot = -1;
    }

    private void tick() {
        long nowNs = System.nanoTime();
        for (int i = 0; i < calls.size(); i++) {
            calls.get(i).tick(nowNs);
        }
    }
}
