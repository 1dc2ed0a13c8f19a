package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.ClusterModel.ModelSession;
import org.igniterealtime.openfire.plugins.carbons.ClusterModel.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster node dying under a live cluster (issue 19): whatever the survivors route in the instant after, no client of
 * theirs loses its connection, and carbons stay exact. {@link ClusterModel} follows Openfire 5.1.1 for what matters
 * here: Hazelcast drops a dead member at once while its routes stay listed until Openfire's cluster listener removes
 * them; RemoteSession.doSynchronousClusterTask on a session of a node that is not a member looks the session up again
 * (ClientSessionTask.getSession) and removes it (SessionManager.removeSession, which compares stream IDs through new
 * RemoteClientSessions: the cycle); routeToBareJID sorts equal sessions by getLastActiveDate; ClusterPacketRouter
 * lets Hazelcast's IllegalArgumentException through; MessageRouter.route turns an Exception into routingFailed, while an
 * Error closes the sender's connection.
 */
class ClusterNodeDeathTest {

    private static final JID ALICE = new JID("alice", ClusterModel.DOMAIN, null);

    private ClusterModel cluster;
    private Node node1;
    private Node node2;
    private ModelSession a1;
    private ModelSession a4;
    private ModelSession a2;
    private ModelSession b1;
    private ModelSession b2;

    /**
     * The plugin on two nodes; alice with two sessions on node 1 (A1 the most recently active) and one on node 2, bob
     * with one on each; everyone available with priority 0 and carbons enabled.
     */
    private void twoNodesWithThePlugin() {
        cluster = new ClusterModel();
        node1 = cluster.node("1", true);
        node2 = cluster.node("2", true);
        a1 = node1.connect("alice", "A1").available(0).enableCarbons();
        a4 = node1.connect("alice", "A4").available(0).enableCarbons();
        a2 = node2.connect("alice", "A2").available(0).enableCarbons();
        b1 = node1.connect("bob", "B1").available(0).enableCarbons();
        b2 = node2.connect("bob", "B2").available(0).enableCarbons();
        a1.mostRecentlyActive();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void withoutThePluginOpenfireItselfLosesTheSendersConnectionWhenANodeDiesUnnoticed() {
        // The model's fidelity: Openfire's own locator, bob's message to alice's bare JID in the 0.4 s before Openfire
        // removed the dead node's routes, two sessions of alice with equal priority, one on each node.
        cluster = new ClusterModel();
        final Node node1 = cluster.node("1", false);
        final Node node2 = cluster.node("2", false);
        node1.connect("alice", "A1").available(0);
        node2.connect("alice", "A2").available(0);
        final ModelSession bob = node1.connect("bob", "B1").available(0);
        cluster.die(node2);

        bob.chat(ALICE, "in the instant");

        assertEquals(1, cluster.closedConnections.size(), "the StackOverflowError closed bob's connection: " + cluster.closedConnections);
        assertTrue(cluster.closedConnections.get(0).contains("StackOverflowError"));
    }

    @Test
    void aBareJidMessageInTheInstantAfterTheOtherNodeDiedReachesTheSurvivorAndNobodyIsDisconnected() {
        twoNodesWithThePlugin();
        cluster.die(node2);

        b1.chat(ALICE, "in the instant");
        b1.chat(a2.address, "to the dead one");
        cluster.settle();

        assertEquals(List.of(), cluster.closedConnections);
        assertEquals(1, cluster.originals(a1.address, "in the instant"), "the most recently active survivor got it");
        assertEquals(1, cluster.carbons(a4.address, "in the instant", "received"));
        assertEquals(1, cluster.originals(a1.address, "to the dead one"),
            "a full JID on the dead node failed as a route: rerouted to the bare JID (RFC 6121), to the survivor");
        assertEquals(1, cluster.carbons(a4.address, "to the dead one", "received"));
        assertTrue(cluster.inbox(a2.address).isEmpty() && cluster.inbox(b2.address).isEmpty(), "the dead node's clients are gone");
        assertEquals(List.of(), cluster.storedOffline);
        assertEquals(List.of(), cluster.duplicates("in the instant"));
    }

    @Test
    void aNodeThatStillCountsAsAMemberButNoLongerAnswersIsNeverPreferred() {
        // Seen on a real 5.1.1 cluster: in the instant before Hazelcast dropped a killed member, getLastActiveDate of a
        // session there answered null (the cluster task failed), and routeToBareJID's sort threw.
        twoNodesWithThePlugin();
        a2.mostRecentlyActive();
        node2.unresponsive = true;

        b1.chat(ALICE, "unanswered");
        cluster.settle();

        assertEquals(List.of(), cluster.storedOffline, "routed, not failed");
        assertEquals(1, cluster.originals(a1.address, "unanswered") + cluster.originals(a4.address, "unanswered"),
            "a live session got the original");
    }

    @Test
    void afterOpenfireNoticedTheDeathTheSameMessagesStillArriveOnce() {
        twoNodesWithThePlugin();
        cluster.die(node2);
        b1.chat(ALICE, "before");
        cluster.noticeDeath(node2, node1);
        b1.chat(ALICE, "after");
        b1.chat(a2.address, "to the dead one");
        cluster.settle();

        assertEquals(List.of(), cluster.closedConnections);
        for (String body : List.of("before", "after", "to the dead one")) {
            assertEquals(1, cluster.originals(a1.address, body) + cluster.carbons(a1.address, body, "received"), body);
            assertEquals(1, cluster.originals(a4.address, body) + cluster.carbons(a4.address, body, "received"), body);
            assertEquals(List.of(), cluster.duplicates(body));
        }
    }

    @Test
    void nothingThePluginHandsOutOrCallsCanEnterTheCycle() {
        twoNodesWithThePlugin();
        // A session object handed out while its node was alive, kept by whoever asked (routing, a page).
        final ClientSession keptFromBefore = node1.clientRoute(a2.address);
        cluster.die(node2);

        assertNull(node1.clientRoute(a2.address), "no session of a node that is not a member is handed out");
        assertNull(node1.sessionManager.getSession(a2.address));
        assertEquals(new Date(0), keptFromBefore.getLastActiveDate(), "the least recently active: never chosen over a live one");
        assertNull(keptFromBefore.getStreamID(), "passed on: no node, and looking the session up again finds none");
        assertThrows(IllegalStateException.class, () -> keptFromBefore.process(new Message()), "a failed delivery, not a cluster call");
        assertEquals(false, node1.removeSession(a2.address));
        assertTrue(node1.remotePacketRouter.get().routePacket(node2.id.toByteArray(), a2.address, new Message()) == false,
            "a hand-off to the dead node fails as a route");
        assertEquals(List.of(), cluster.closedConnections);
    }

    @Test
    void whenTheSeniorDiesItsClientsReconnectOnTheSurvivorAndGetEverythingOnce() {
        twoNodesWithThePlugin();
        cluster.die(node1);
        // Their clients come back on node 2 under the same full JIDs while node 1's routes are still listed.
        a1 = node2.connect("alice", "A1").available(0).enableCarbons();
        b1 = node2.connect("bob", "B1").available(0).enableCarbons();
        b1.chat(a1.address, "reconnected");
        b2.chat(ALICE, "to alice");
        cluster.noticeDeath(node1, node1);
        a2.chat(b1.address, "after the notice");
        cluster.settle();

        assertEquals(List.of(), cluster.closedConnections);
        assertEquals(1, cluster.originals(a1.address, "reconnected"));
        assertEquals(1, cluster.carbons(a2.address, "reconnected", "received"));
        assertEquals(1, cluster.carbons(b2.address, "reconnected", "sent"));
        assertEquals(1, cluster.originals(a1.address, "to alice") + cluster.originals(a2.address, "to alice"));
        assertTrue(cluster.inbox(a4.address).isEmpty(), "A4 died with node 1 and did not come back");
        assertEquals(1, cluster.originals(b1.address, "after the notice"));
        assertEquals(1, cluster.carbons(b2.address, "after the notice", "received"));
        assertEquals(1, cluster.carbons(a1.address, "after the notice", "sent"));
        for (String body : List.of("reconnected", "to alice", "after the notice")) {
            assertEquals(List.of(), cluster.duplicates(body));
        }
    }

    @Test
    void aNodeRejoiningUnderTrafficCostsNobodyTheirConnection() throws Exception {
        twoNodesWithThePlugin();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        final Thread traffic = new Thread(() -> {
            while (running.get() && sent.get() < 5_000) {
                b1.chat(ALICE, "m" + sent.incrementAndGet());
            }
        });
        traffic.start();
        for (int i = 0; i < 3; i++) {
            awaitMore(sent, 20);
            cluster.rejoin(node2);
        }
        awaitMore(sent, 20);
        running.set(false);
        traffic.join(10_000);
        cluster.settle();

        assertEquals(List.of(), cluster.closedConnections);
        b1.chat(ALICE, "settled");
        cluster.settle();
        assertEquals(1, cluster.originals(a1.address, "settled") + cluster.carbons(a1.address, "settled", "received"));
        for (ModelSession alice : List.of(a1, a2, a4)) {
            assertEquals(1, cluster.originals(alice.address, "settled") + cluster.carbons(alice.address, "settled", "received"));
        }
    }

    /** Waits until the traffic has sent this many more messages (each rejoin happens while messages flow). */
    private static void awaitMore(AtomicInteger sent, int more) throws InterruptedException {
        final int target = sent.get() + more;
        final long deadline = System.currentTimeMillis() + 10_000;
        while (sent.get() < target && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(sent.get() >= target, "the traffic flows");
    }
}
