package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's copy of what the other nodes wrote into a cache: built from the cache and the events that came while it was
 * being copied, current with every later event, without this node's own entries.
 */
class OtherNodesViewTest {

    /** key "user/node", as the enabled-sessions cache has it; this node is "n1". */
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final List<EntryEvents.Listener<String, String>> listeners = new ArrayList<>();
    private final EntryEvents<String, String> events = new EntryEvents<>() {
        @Override
        public String subscribe(Listener<String, String> listener) {
            listeners.add(listener);
            // An event that comes before the view has read the cache (which it reads next, still holding the old value
            // here): kept and applied after the copy, so the view ends as the events leave the entry.
            listener.put("carol/n2", "carol-new");
            return "id";
        }

        @Override
        public void unsubscribe(String subscription) {
            listeners.clear();
        }
    };
    private final OtherNodesView<String, String> view = new OtherNodesView<>(cache, events,
        (key, value) -> key.endsWith("/n1"), key -> key.substring(0, key.indexOf('/')));

    @Test
    void theCopyHoldsTheOtherNodesEntriesAsTheCacheEndsUpAndFollowsEveryChange() {
        cache.put("alice/n1", "mine");
        cache.put("alice/n2", "alice-on-n2");
        cache.put("alice/n3", "alice-on-n3");
        cache.put("carol/n2", "carol-old");

        assertTrue(view.follow());

        assertEquals(Set.of("alice/n2", "alice/n3"), view.group("alice").keySet(), "this node's own entry stays out");
        assertEquals("carol-new", view.get("carol/n2"), "the event during the copy was applied after it");
        listeners.get(0).removed("alice/n3");
        listeners.get(0).put("bob/n3", "bob");
        assertEquals(Set.of("alice/n2"), view.group("alice").keySet());
        assertEquals("bob", view.get("bob/n3"));
        listeners.get(0).put("alice/n2", "alice-again");
        assertEquals("alice-again", view.group("alice").get("alice/n2"));
        assertEquals(3, view.size());

        listeners.get(0).cleared();
        assertEquals(0, view.size());
        assertTrue(view.group("alice").isEmpty());
    }

    @Test
    void stoppingForgetsTheCopyAndIgnoresLateEvents() {
        cache.put("alice/n2", "a");
        view.follow();
        final EntryEvents.Listener<String, String> listener = listeners.get(0);
        view.stop();
        assertFalse(view.following());
        assertNull(view.get("alice/n2"));
        listener.put("alice/n2", "late");
        assertNull(view.get("alice/n2"), "an event after stopping changes nothing");
    }

    @Test
    void aCacheWithoutEventsIsNotFollowed() {
        final OtherNodesView<String, AbstractMap.SimpleImmutableEntry<String, String>> none =
            new OtherNodesView<>(new ConcurrentHashMap<>(), EntryEvents.none(), (key, value) -> false, null);
        assertFalse(none.follow());
        assertFalse(none.following());
    }
}
