package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.ClusterModel.ModelSession;
import org.igniterealtime.openfire.plugins.carbons.ClusterModel.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Carbons on clusters of 2, 3 and 5 nodes (issue 18): every resource gets each message once, and routing a message
 * reads nothing from the cluster's caches: each node reads the other nodes' state from its node-local copy, which the
 * caches' entry events keep current. {@link ClusterModel} counts every read of its Hazelcast maps, as each is a network
 * round trip for the keys another member owns.
 */
class ClusterScaleTest {

    private static final JID ALICE = new JID("alice", ClusterModel.DOMAIN, null);
    private static final JID BOB = new JID("bob", ClusterModel.DOMAIN, null);
    private static final JID ROOM = new JID("room", "conference.elsewhere.example", null);

    private ClusterModel cluster;
    private final List<Node> nodes = new ArrayList<>();
    /** alice's session on each node, all with carbons. */
    private final List<ModelSession> alice = new ArrayList<>();
    private ModelSession bob;
    private ModelSession bob2;

    private void cluster(int size) {
        cluster = new ClusterModel();
        for (int i = 0; i < size; i++) {
            final Node node = cluster.node(Integer.toString(i + 1), true);
            nodes.add(node);
            alice.add(node.connect("alice", "A" + (i + 1)).available(0).enableCarbons());
        }
        bob = nodes.get(0).connect("bob", "B1").available(0).enableCarbons();
        bob2 = nodes.get(size - 1).connect("bob", "B2").available(0).enableCarbons();
        alice.get(size - 1).mostRecentlyActive();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {2, 3, 5})
    void everyResourceOnceAndNoCacheReadOnTheRoutingPath(int size) {
        cluster(size);
        alice.get(0).join(ROOM, "al");
        alice.get(1).join(ROOM, "al");
        cluster.settle();
        cluster.resetCacheCounts();

        bob.chat(ALICE, "bare");
        bob.chat(alice.get(size - 1).address, "full");
        alice.get(0).chat(BOB, "answer");
        alice.get(1).chat(new JID(ROOM.getNode(), ROOM.getDomain(), "bobnick"), "pm");
        cluster.settle();

        assertEquals(0, cluster.cacheReads(), "enabled sessions and room occupancy of the other nodes came from the node-local copies");
        assertTrue(cluster.copiedCache.writes.get() > 0);
        assertTrue(cluster.copiedCache.threads.stream().allMatch(thread -> thread.startsWith("publisher-")),
            "copied ids were published by the nodes' publishing threads, never while routing: " + cluster.copiedCache.threads);
        for (String body : List.of("bare", "full")) {
            for (ModelSession session : alice) {
                assertEquals(1, cluster.originals(session.address, body) + cluster.carbons(session.address, body, "received"),
                    session.address + " " + body);
            }
            assertEquals(List.of(), cluster.duplicates(body));
        }
        for (int i = 1; i < size; i++) {
            assertEquals(1, cluster.carbons(alice.get(i).address, "answer", "sent"), alice.get(i).address.toString());
        }
        for (ModelSession session : List.of(bob, bob2)) {
            assertEquals(1, cluster.originals(session.address, "answer") + cluster.carbons(session.address, "answer", "received"));
        }
        for (int i = 0; i < size; i++) {
            assertEquals(i == 0 ? 1 : 0, cluster.carbons(alice.get(i).address, "pm", "sent"),
                "a sent MUC PM is copied only to the other resource in the room under the same nick, on another node");
        }
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void aNodeDyingWithoutAGoodbyeKeepsItsEntriesUntilOpenfireDeclaresItGone(int size) {
        cluster(size);
        final Node dead = nodes.get(size - 1);
        final int keptBefore = nodes.get(0).state.othersKept();
        cluster.die(dead);
        cluster.resetCacheCounts();
        bob.chat(ALICE, "in the instant");
        cluster.settle();
        assertEquals(keptBefore, nodes.get(0).state.othersKept(), "its entries stay until Openfire declares it gone");
        assertEquals(0, cluster.stateCache.reads.get(), "no read waits for a dead member");
        assertEquals(List.of(), cluster.closedConnections);
        for (ModelSession session : alice.subList(0, size - 1)) {
            assertEquals(1, cluster.originals(session.address, "in the instant") + cluster.carbons(session.address, "in the instant", "received"));
        }

        cluster.noticeDeath(dead, cluster.senior());
        cluster.settle();
        assertTrue(nodes.get(0).state.othersKept() < keptBefore, "the senior removed its entries, and every copy followed");
        bob.chat(ALICE, "after");
        cluster.settle();
        for (ModelSession session : alice.subList(0, size - 1)) {
            assertEquals(1, cluster.originals(session.address, "after") + cluster.carbons(session.address, "after", "received"));
        }
        assertEquals(List.of(), cluster.duplicates("after"));
    }
}
