package org.igniterealtime.openfire.plugins.carbons.cluster;

import java.util.Collection;
import java.util.List;

/** A fixed view of the cluster for tests and benchmarks: this node, the others, and whether clustering runs. */
public final class TestMembership implements ClusterMembership {

    private final String node;
    private final List<String> others;
    volatile boolean clustered = true;

    public TestMembership(String node, String... others) {
        this.node = node;
        this.others = List.of(others);
    }

    @Override
    public String localNode() {
        return node;
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    @Override
    public Collection<String> otherNodes() {
        return clustered ? others : List.of();
    }
}
