package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.jivesoftware.util.cache.DefaultCache;
import org.igniterealtime.openfire.plugins.carbons.bench.Heap;
import org.xmpp.packet.JID;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Heap the plugin's carbons state costs per enabled session: used heap after GC with the sessions enabled, minus
 * before. The session's own objects (its address and stream ID, which Openfire holds anyway and the state
 * shares) exist on both sides of the difference.
 */
public final class StateFootprint {

    private StateFootprint() {
    }

    /**
     * @param clustered false: a single server, as deployed there (the state stays node-local, the cache holds nothing);
     *                  true: a cluster node, whose entries are also published into an Openfire 4.2 DefaultCache standing
     *                  in for the Hazelcast map (Hazelcast's own bookkeeping and backups not included)
     * @return bytes per enabled session
     */
    public static double bytesPerSession(int sessions, boolean clustered) throws InterruptedException {
        final List<JID> addresses = new ArrayList<>(sessions);
        final List<String> streams = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            final JID address = new JID("user" + i + "@example.org/" + UUID.randomUUID().toString().substring(0, 8));
            address.toFullJID();
            address.toBareJID();
            addresses.add(address);
            streams.add(Integer.toString(i * 7919, 36) + "abcdefgh");
        }
        final Map<String, HashMap<String, Long>> cache = new DefaultCache<>("footprint", -1, -1);
        final ClusterMembership membership = clustered ? new TestMembership(UUID.randomUUID().toString()) : ClusterMembership.STANDALONE;
        final CarbonsState state = new CarbonsState(cache, membership);
        final long before = Heap.usedAfterGc();
        for (int i = 0; i < sessions; i++) {
            state.enable(addresses.get(i), streams.get(i));
        }
        final long after = Heap.usedAfterGc();
        if (state.size() != sessions) {
            throw new IllegalStateException("state holds " + state.size());
        }
        return (after - before) / (double) sessions;
    }
}
