package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.cluster.RemoteDeliveryWatch;
import org.igniterealtime.openfire.plugins.carbons.ClusterModel.ModelSession;
import org.igniterealtime.openfire.plugins.carbons.ClusterModel.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Carbons in an Openfire 5.1.1 cluster with a user's sessions spread over the nodes: every resource gets each eligible
 * message once, original or carbon, never twice. The cluster is {@link ClusterModel} (which names the Openfire source
 * each part follows); the plugin's classes are the real ones on every node.
 */
class ClusterCarbonsTest {

    private static final JID ALICE = new JID("alice", ClusterModel.DOMAIN, null);
    private static final JID BOB = new JID("bob", ClusterModel.DOMAIN, null);
    private static final JID ROOM = new JID("room", "conference.elsewhere.example", null);
    private static final JID BOBNICK = new JID(ROOM.getNode(), ROOM.getDomain(), "bobnick");
    private static final JID FOREIGN = new JID("carol", "elsewhere.example", null);

    private ClusterModel cluster;
    private Node node1;
    private Node node2;
    private ModelSession a1;
    private ModelSession a2;
    private ModelSession a3;
    private ModelSession b1;
    private ModelSession b2;

    @BeforeEach
    void twoNodes() {
        cluster = new ClusterModel();
        node1 = cluster.node("1", true);
        node2 = cluster.node("2", true);
        a1 = node1.connect("alice", "A1").available(0).enableCarbons();
        a2 = node2.connect("alice", "A2").available(0).enableCarbons();
        a3 = node2.connect("alice", "A3").available(0).enableCarbons();
        b1 = node1.connect("bob", "B1").available(0).enableCarbons();
        b2 = node2.connect("bob", "B2").available(0).enableCarbons();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A message from another server (or a room there), with the id ModelSession.chat gives the same body. */
    private static Message message(Message.Type type, JID from, JID to, String body) {
        final Message message = new Message();
        message.setType(type);
        message.setID("id-" + body);
        message.setFrom(from);
        message.setTo(to);
        message.setBody(body);
        return message;
    }

    private void assertEveryResourceOnce(String body, ModelSession... sessions) {
        cluster.settle();
        for (ModelSession session : sessions) {
            final int seen = cluster.originals(session.address, body) + cluster.carbons(session.address, body, "received")
                + cluster.carbons(session.address, body, "sent");
            assertEquals(1, seen, session.address + " saw '" + body + "' " + seen + " times: " + cluster.inbox(session.address));
        }
        assertEquals(List.of(), cluster.duplicates(body));
    }

    @Test
    void fullJidOfASessionOnTheOtherNodeGetsTheOriginalOnly() {
        b1.chat(a2.address, "hello");
        assertEveryResourceOnce("hello", a1, a2, a3, b2);
        assertEquals(1, cluster.originals(a2.address, "hello"), "the addressed session has the original");
        assertEquals(1, cluster.carbons(a1.address, "hello", "received"));
        assertEquals(1, cluster.carbons(a3.address, "hello", "received"));
        assertEquals(1, cluster.carbons(b2.address, "hello", "sent"));
        assertTrue(cluster.inbox(b1.address).isEmpty(), "the sending resource gets no copy");
    }

    @Test
    void fullJidOfASessionWithoutPresenceOnTheOtherNode() {
        final ModelSession a4 = node2.connect("alice", "A4").enableCarbons();
        b1.chat(a4.address, "before presence");
        assertEveryResourceOnce("before presence", a1, a2, a3, a4, b2);
        assertEquals(1, cluster.originals(a4.address, "before presence"));
    }

    @Test
    void sessionThatEnabledCarbonsBeforePresenceOnTheOtherNodeGetsCopies() {
        final ModelSession a4 = node2.connect("alice", "A4").enableCarbons();
        b1.chat(a1.address, "to the phone");
        assertEveryResourceOnce("to the phone", a1, a2, a3, a4, b2);
        assertEquals(1, cluster.carbons(a4.address, "to the phone", "received"));
    }

    @Test
    void fullJidOfAnOfflineResourceIsTreatedAsBare() {
        a2.available(5);
        b1.chat(new JID("alice", ClusterModel.DOMAIN, "gone"), "rerouted");
        assertEveryResourceOnce("rerouted", a1, a2, a3, b2);
        assertEquals(1, cluster.originals(a2.address, "rerouted"), "highest priority, on the other node");
    }

    @Test
    void bareJidToTheHighestPriorityOnTheOtherNode() {
        a1.available(1);
        a2.available(5);
        a3.available(-1);
        b1.chat(ALICE, "bare");
        assertEveryResourceOnce("bare", a1, a2, a3, b2);
        assertEquals(1, cluster.originals(a2.address, "bare"));
        assertEquals(1, cluster.carbons(a1.address, "bare", "received"));
        assertEquals(1, cluster.carbons(a3.address, "bare", "received"), "negative priority gets a carbon");
    }

    @Test
    void bareJidAmongEqualsPicksOneAcrossNodes() {
        a3.mostRecentlyActive();
        b2.chat(ALICE, "equals");
        assertEveryResourceOnce("equals", a1, a2, a3, b1);
        assertEquals(1, cluster.originals(a3.address, "equals"));
    }

    @Test
    void forkedToAllResourcesOnBothNodes() {
        cluster.allResources = true;
        a1.available(2);
        a2.available(2);
        a3.available(1);
        b1.chat(ALICE, "forked");
        assertEveryResourceOnce("forked", a1, a2, a3, b2);
        assertEquals(1, cluster.originals(a1.address, "forked"));
        assertEquals(1, cluster.originals(a2.address, "forked"));
        assertEquals(1, cluster.carbons(a3.address, "forked", "received"));
    }

    @Test
    void messageToOneselfAcrossNodes() {
        a1.chat(a3.address, "note to self");
        assertEveryResourceOnce("note to self", a2, a3);
        assertEquals(1, cluster.originals(a3.address, "note to self"));
        assertTrue(cluster.inbox(a1.address).isEmpty());
    }

    @Test
    void sentCarbonsReachTheOtherNode() {
        a2.chat(FOREIGN, "outbound");
        assertEveryResourceOnce("outbound", a1, a3);
        assertEquals(1, cluster.carbons(a1.address, "outbound", "sent"));
        assertTrue(cluster.inbox(a2.address).isEmpty());
    }

    @Test
    void incomingFromAnotherServerEnteringOnEitherNode() {
        node2.routeFromOutside(message(Message.Type.chat, FOREIGN, a1.address, "from afar"));
        assertEveryResourceOnce("from afar", a1, a2, a3);
        assertEquals(1, cluster.originals(a1.address, "from afar"));
    }

    @Test
    void mucPrivateMessagesGoOnlyToTheSameNickOnAnyNode() {
        a1.join(ROOM, "al");
        a2.join(ROOM, "al");
        a3.join(ROOM, "alice-laptop");
        a1.chat(BOBNICK, "psst");
        cluster.settle();
        assertEquals(1, cluster.carbons(a2.address, "psst", "sent"), "same nick on the other node");
        assertEquals(0, cluster.carbons(a3.address, "psst", "sent"), "other nick");

        node2.routeFromOutside(message(Message.Type.chat, BOBNICK, a1.address, "psst back"));
        cluster.settle();
        assertEquals(1, cluster.originals(a1.address, "psst back"));
        for (ModelSession other : List.of(a2, a3)) {
            assertEquals(0, cluster.carbons(other.address, "psst back", "received"), "received MUC PMs are never copied");
        }
    }

    @Test
    void errorReplyToACopiedMessageIsCopiedWhicheverNodeItEnters() {
        a1.chat(FOREIGN, "undeliverable");
        cluster.settle();
        node2.routeFromOutside(message(Message.Type.error, FOREIGN, a1.address, "undeliverable"));
        cluster.settle();
        assertEquals(1, cluster.originals(a1.address, "undeliverable"), "the error reaches the sender");
        assertEquals(1, cluster.carbons(a2.address, "undeliverable", "received"), "and its other resources, once");
        assertEquals(1, cluster.carbons(a3.address, "undeliverable", "received"));
    }

    @Test
    void anErrorAnsweredFromAnotherNodeIsCopiedWithoutAnyCacheWriteOrRead() {
        // a1 on node1 writes to b2 on node2; b2's client answers with an error, which node2 routes. Node2 learnt of the
        // original when it delivered it, so it judges the error from its own memory: nothing of the conversation was
        // published to the cluster, nor read back (issue 18: publishing every copied message cost ~750 µs each).
        a1.chat(b2.address, "are you there");
        cluster.settle();
        cluster.resetCacheCounts();
        node2.route(b2, message(Message.Type.error, b2.address, a1.address, "are you there"));
        cluster.settle();
        assertEquals(1, cluster.originals(a1.address, "are you there"), "the error reaches the sender");
        assertEquals(1, cluster.carbons(a2.address, "are you there", "received"), "the sender's other resources get it once");
        assertEquals(1, cluster.carbons(a3.address, "are you there", "received"));
        assertEquals(1, cluster.carbons(b1.address, "are you there", "sent"), "the answerer's other resource too");
        assertEquals(0, cluster.cacheReads());

        // What left for another server may be answered on any node: that is still published, after the above.
        a1.chat(FOREIGN, "elsewhere");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cluster.copiedCache.keySet().stream().noneMatch(k -> k.endsWith(" id-elsewhere")) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(cluster.copiedCache.keySet().stream().anyMatch(k -> k.endsWith(" id-elsewhere")), "published in order");
        assertTrue(cluster.copiedCache.keySet().stream().noneMatch(k -> k.endsWith(" id-are you there")),
            "nothing published for a conversation between this server's users: " + cluster.copiedCache.keySet());
    }

    @Test
    void aDeadNodesSessionsGetNothingAndTheSurvivorsStayExactlyOnce() {
        final ModelSession a4 = node1.connect("alice", "A4").available(0).enableCarbons();
        cluster.kill(node2);
        assertTrue(cluster.stateCache.keySet().stream().noneMatch(k -> k.endsWith("/" + node2.id)),
            "the senior member removed the dead node's entries: " + cluster.stateCache.keySet());
        assertTrue(cluster.occupancyCache.values().stream().noneMatch(v -> v.getKey().equals(node2.id.toString())));
        b1.chat(ALICE, "after the crash");
        b1.chat(a4.address, "to A4");
        assertEveryResourceOnce("after the crash", a1, a4);
        assertEveryResourceOnce("to A4", a1, a4);
        assertTrue(cluster.inbox(a2.address).isEmpty());
    }

    @Test
    void whenTheSeniorMemberDiesTheNextOneCleansUp() {
        final Node node3 = cluster.node("3", true);
        final ModelSession a5 = node3.connect("alice", "A5").available(0).enableCarbons();
        cluster.kill(node1);
        assertSame(node2, cluster.senior());
        assertTrue(cluster.stateCache.keySet().stream().noneMatch(k -> k.endsWith("/" + node1.id)),
            "entries of the dead senior removed: " + cluster.stateCache.keySet());
        b2.chat(a5.address, "three nodes");
        assertEveryResourceOnce("three nodes", a2, a3, a5);
        assertEquals(1, cluster.originals(a5.address, "three nodes"));
    }

    @Test
    void aNodeThatRejoinsPublishesItsStateAgain() {
        a2.join(ROOM, "al");
        a1.join(ROOM, "al");
        cluster.rejoin(node2);
        cluster.rejoin(node1);
        b1.chat(a1.address, "after rejoin");
        assertEveryResourceOnce("after rejoin", a1, a2, a3, b2);
        assertEquals(1, cluster.carbons(a2.address, "after rejoin", "received"));
        a1.chat(BOBNICK, "pm after rejoin");
        cluster.settle();
        assertEquals(1, cluster.carbons(a2.address, "pm after rejoin", "sent"), "rooms known again");
        assertEquals(0, cluster.carbons(a3.address, "pm after rejoin", "sent"));
    }

    @Test
    void theLastNodeRestartingClusteringPublishesIntoEmptiedCaches() {
        a1.join(ROOM, "al");
        final ModelSession a4 = node1.connect("alice", "A4").available(0).enableCarbons();
        a4.join(ROOM, "al");
        cluster.kill(node2);
        cluster.rejoin(node1);
        assertTrue(cluster.stateCache.containsKey("alice/" + node1.id), "published again: " + cluster.stateCache.keySet());
        a1.chat(BOBNICK, "alone");
        assertEveryResourceOnce("alone", a4);
        assertEquals(1, cluster.carbons(a4.address, "alone", "sent"));
    }

    @Test
    void theWatchFollowsOpenfireReplacingTheRemoteRouting() {
        final var installedByPlugin = node1.remotePacketRouter.get();
        assertTrue(installedByPlugin instanceof RemoteDeliveryWatch.WatchingPacketRouter);
        cluster.rejoin(node1);
        final var afterRestart = node1.remotePacketRouter.get();
        assertTrue(afterRestart instanceof RemoteDeliveryWatch.WatchingPacketRouter, "wrapped again after a cluster restart");
        assertNotSame(installedByPlugin, afterRestart);
        node1.event(() -> node1.cluster.stop());
        assertFalse(node1.remotePacketRouter.get() instanceof RemoteDeliveryWatch.WatchingPacketRouter,
            "Openfire's own router is back after the plugin stops");
        assertFalse(node1.remoteSessionLocator.get() instanceof RemoteDeliveryWatch.WatchingSessionLocator);
    }

    @Test
    void pluginLoadedOnOneNodeBeforeTheOther() {
        cluster.close();
        cluster = new ClusterModel();
        node1 = cluster.node("1", true);
        node2 = cluster.node("2", false);
        a1 = node1.connect("alice", "A1").available(0).enableCarbons();
        a2 = node2.connect("alice", "A2").available(0);
        b1 = node1.connect("bob", "B1").available(0);
        b1.chat(a1.address, "half loaded");
        cluster.settle();
        assertEquals(1, cluster.originals(a1.address, "half loaded"));
        assertTrue(cluster.inbox(a2.address).isEmpty(), "no plugin state on node 2: no copies from node 1's plugin");

        node2.loadPlugin();
        a2.enableCarbons();
        b1.chat(a1.address, "fully loaded");
        assertEveryResourceOnce("fully loaded", a1, a2);
        assertEquals(1, cluster.carbons(a2.address, "fully loaded", "received"));
    }

    @Test
    void disabledOrEndedSessionsOnTheOtherNodeGetNoCopies() {
        node2.activation.apply(a3.local, false);
        cluster.settle(); // node 1 learns it from the cache's events, a moment later
        node2.disconnect(a2);
        b1.chat(a1.address, "fewer");
        cluster.settle();
        assertEquals(0, cluster.carbons(a3.address, "fewer", "received"));
        assertTrue(cluster.inbox(a2.address).isEmpty());
        assertEquals(1, cluster.carbons(b2.address, "fewer", "sent"));
    }

    @Test
    void aClientReconnectingOnTheOtherNodeStartsAfresh() {
        a1.join(ROOM, "al");
        a2.join(ROOM, "al");
        final ModelSession moved = node1.connect("alice", "A2").available(0);
        node2.disconnect(a2);
        a1.chat(BOBNICK, "after the move");
        b1.chat(a1.address, "carbons off after the move");
        cluster.settle();
        assertTrue(cluster.inbox(moved.address).isEmpty(), "the new session enabled nothing and joined nothing: "
            + cluster.inbox(moved.address));
        assertFalse(cluster.occupancyCache.containsKey(moved.address.toFullJID()),
            "no room entries left for the old session: " + cluster.occupancyCache);

        moved.enableCarbons();
        b1.chat(a1.address, "carbons on again");
        assertEveryResourceOnce("carbons on again", a1, moved, a3, b2);
    }
}
