package io.vmport.engine.pipeline;

import io.vmport.engine.cluster.Effect;

/**
 * Where the router stage hands the work that the cluster asks for but that must not run on the router thread:
 * a network check (ST-8), publishing the status to the database (ST-13), starting or stopping primary-only
 * services, merging after split brain (ST-12). Called on the router thread: implementations hand off and return.
 */
@FunctionalInterface
public interface EffectSink {
    /** Drops every effect (benchmarks and tests that do not run a node). */
    EffectSink NONE = (effect, view) -> { };

    /**
     * @param effect what the cluster asks for
     * @param view   the cluster as it is now, after the event that asked for it
     */
    void onEffect(Effect effect, ClusterView view);
}
