package io.vmport.config.db;

import io.vmport.config.ClusterSettings;
import io.vmport.config.HuntOrder;
import io.vmport.config.Integration;

/**
 * The cluster as stored: what the first node to start on an empty database created (SPEC CL-2, section 3).
 *
 * @param integration how the phone system reaches the ports
 * @param portCount   N, the number of ports the traffic needs
 * @param createdAtMs when the cluster was created (epoch milliseconds)
 * @param settings    the cluster-wide settings, as now stored
 */
public record ClusterRow(Integration integration, int portCount, long createdAtMs, ClusterSettings settings) {

    public ClusterRow {
        if (integration == null || settings == null) {
            throw new IllegalArgumentException("integration and settings must not be null");
        }
        if (portCount < 1) {
            throw new IllegalArgumentException("portCount must be positive, was " + portCount);
        }
    }

    /** PT-4: the hunt order, one of the settings. */
    public HuntOrder huntOrder() {
        return settings.huntOrder();
    }
}
