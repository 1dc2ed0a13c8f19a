package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-session carbons state, tied to the stream that enabled it. */
class CarbonsStateTest {

    private static final JID A2 = new JID("alice@example.org/A2");
    private final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());

    @Test
    void repeatsKeepTheFirstEnableTime() throws Exception {
        assertTrue(state.enable(A2, "s1"));
        final Long since = state.enabledSince(A2, "s1");
        Thread.sleep(2);
        assertFalse(state.enable(A2, "s1"));
        assertEquals(since, state.enabledSince(A2, "s1"));
        assertTrue(state.disable(A2, "s1"));
        assertFalse(state.disable(A2, "s1"));
    }

    @Test
    void aNewSessionWithTheSameFullJidStartsDisabled() {
        state.enable(A2, "old");
        assertFalse(state.isEnabled(A2, "new"));
        for (String candidate : state.localResources(A2.getNode())) {
            assertTrue(state.isEnabled(A2.getNode(), candidate, "old"), "the candidate is the resource of the old session's entry");
            assertFalse(state.isEnabled(A2.getNode(), candidate, "new"), "and only of the old session");
        }
        state.forgetOtherSessions(A2, "new");
        assertFalse(state.isEnabled(A2, "old"));
        assertTrue(state.localResources(A2.getNode()).isEmpty());
    }

    @Test
    void aLateEndOfTheOldSessionLeavesTheNewOneAlone() {
        state.enable(A2, "old");
        state.enable(A2, "new");
        assertFalse(state.disable(A2, "old"), "the old session's end is not the new session's");
        assertTrue(state.isEnabled(A2, "new"));
        assertEquals(1, state.size());
    }

    @Test
    void indexListsTheUsersEnabledResources() {
        state.enable(A2, "s2");
        state.enable(new JID("alice@example.org/A3"), "s3");
        state.enable(new JID("bob@example.org/B1"), "s4");
        assertEquals(2, state.localResources("alice").size());
        state.forget(A2);
        assertEquals(1, state.localResources("alice").size());
        assertNull(state.enabledSince(A2, "s2"));
        assertEquals(2, state.localEntries().size());
    }

    @Test
    void eachNodeWritesOnlyItsOwnEntryAndReadsTheOthers() {
        final Map<String, HashMap<String, Long>> cache = new ConcurrentHashMap<>();
        final CarbonsState node1 = new CarbonsState(cache, new TestMembership("n1", "n2"));
        final CarbonsState node2 = new CarbonsState(cache, new TestMembership("n2", "n1"));
        node1.enable(new JID("alice@example.org/A1"), "s1");
        node2.enable(A2, "s2");
        node2.enable(new JID("alice@example.org/A3"), "s3");
        assertEquals(Set.of("alice/n1", "alice/n2"), cache.keySet());
        assertEquals(Set.of("alice@example.org/A2", "alice@example.org/A3"), Set.copyOf(node1.otherNodesCandidates("alice")));
        assertEquals(List.of("alice@example.org/A1"), List.copyOf(node2.otherNodesCandidates("alice")));
        assertFalse(node1.isEnabled(A2, "s2"), "another node's session is not this node's");
        assertTrue(node1.enabledSinceOnOtherNode(A2) > 0);
        assertEquals(3, node1.size());
        assertEquals(Map.of("alice", 3), node2.enabledUsers());
        node2.disable(A2, "s2");
        assertEquals(List.of("alice@example.org/A3"), List.copyOf(node1.otherNodesCandidates("alice")));
    }

    @Test
    void notClusteredNothingIsReadForOtherNodes() {
        final Map<String, HashMap<String, Long>> cache = new ConcurrentHashMap<>();
        final TestMembership standalone = new TestMembership("n1", "n2");
        standalone.clustered = false;
        cache.put("alice/n2", new HashMap<>(Map.of("alice@example.org/A9", 1L)));
        assertTrue(new CarbonsState(cache, standalone).otherNodesCandidates("alice").isEmpty());
    }

    @Test
    void republishAfterThePurgeAndTheSeniorRemovesADeadNodesEntries() {
        final Map<String, HashMap<String, Long>> cache = new ConcurrentHashMap<>();
        final CarbonsState node1 = new CarbonsState(cache, new TestMembership("n1", "n2"));
        final CarbonsState node2 = new CarbonsState(cache, new TestMembership("n2", "n1"));
        node1.enable(new JID("alice@example.org/A1"), "s1");
        node2.enable(A2, "s2");
        cache.clear();
        cache.put("carol/n1", new HashMap<>(Map.of("carol@example.org/earlier-run", 1L)));
        assertEquals(1, node1.republish());
        assertEquals(Set.of("alice/n1"), cache.keySet(), "its own entries back, an earlier run's gone");
        node2.republish();
        assertEquals(1, node1.removeEntriesOf("n2"::equals));
        assertEquals(Set.of("alice/n1"), cache.keySet());
        assertEquals(0, node1.removeEntriesOf("n1"::equals), "a node never removes its own live entries as departed");
    }

    @Test
    void whatIsSharedIsJdkTypesInAnOpenfireCache() {
        // Openfire's own cache class (4.2 here): it sizes every value; Hazelcast serialises them with JDK classes only.
        final Map<String, HashMap<String, Long>> cache = new org.jivesoftware.util.cache.DefaultCache<>("state-types", -1, -1);
        final TestMembership member = new TestMembership("n1", "n2");
        final CarbonsState node1 = new CarbonsState(cache, member);
        node1.enable(A2, "s2");
        final Map<String, java.util.AbstractMap.SimpleImmutableEntry<String, HashMap<String, String>>> rooms =
            new org.jivesoftware.util.cache.DefaultCache<>("rooms-types", -1, -1);
        new NodeOwnedMap<>(rooms, member).put(A2.toFullJID(), new HashMap<>(Map.of("room@muc.example.org", "al")));
        for (Map<String, ?> each : List.<Map<String, ?>>of(cache, rooms)) {
            assertEquals(1, each.size());
            each.forEach((key, value) -> assertTrue(value.getClass().getName().startsWith("java."), value.getClass().getName()));
        }
        assertEquals(Set.of(A2.toFullJID()), cache.get("alice/n1").keySet());
    }

    @Test
    void notClusteredNothingIsWrittenToTheSharedCache() {
        final Map<String, HashMap<String, Long>> cache = new ConcurrentHashMap<>();
        final TestMembership standalone = new TestMembership("n1");
        standalone.clustered = false;
        final CarbonsState alone = new CarbonsState(cache, standalone);
        alone.enable(A2, "s2");
        assertTrue(cache.isEmpty());
        assertEquals(1, alone.size());
        assertEquals(Map.of("alice", 1), alone.enabledUsers());
        standalone.clustered = true;
        alone.republish();
        assertEquals(Set.of("alice/n1"), cache.keySet(), "joining a cluster publishes it");
    }
}
