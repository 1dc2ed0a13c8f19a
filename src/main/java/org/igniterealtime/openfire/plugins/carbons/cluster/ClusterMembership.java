package org.igniterealtime.openfire.plugins.carbons.cluster;

import java.util.Collection;
import java.util.List;

/**
 * What the plugin's shared state needs to know about the cluster: this node's ID, whether clustering runs, and the
 * other nodes that are members right now. Kept apart from Openfire's static ClusterManager so the state can be
 * tested as two nodes in one JVM; {@link CarbonsCluster} answers it in Openfire.
 */
public interface ClusterMembership {

    /** A server that is not clustered: every session is this node's. */
    ClusterMembership STANDALONE = new ClusterMembership() {
        @Override
        public String localNode() {
            return "standalone";
        }

        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public Collection<String> otherNodes() {
            return List.of();
        }
    };

    /** This node's ID (Openfire's NodeID as text). */
    String localNode();

    /** Whether the caches are cluster-wide right now; when not, nothing is looked up beyond this node. */
    boolean clustered();

    /** IDs of the other members of the cluster right now; empty when not clustered. */
    Collection<String> otherNodes();
}
