package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-local store of recently copied ids: bounded in entries and in age, without locks on the per-message path. */
class RecentMapTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RecentMap<String, Long> map = new RecentMap<>(3, 60_000, now::get);

    @Test
    void entriesSurviveOneFullGenerationAndAreDroppedAfterTwo() {
        map.put("a", 1L);
        map.put("b", 2L);
        map.put("c", 3L);
        map.put("d", 4L); // the first generation is full: it becomes the previous one
        assertEquals(1L, map.get("a"), "still there, one generation back");
        map.put("e", 5L);
        map.put("f", 6L);
        map.put("g", 7L); // d, e, f full: a, b, c go
        assertNull(map.get("a"));
        assertEquals(4L, map.get("d"));
        assertEquals(7L, map.get("g"));
        assertTrue(map.size() <= 6, "never more than two generations");
    }

    @Test
    void entriesAgeOutWithTheirGeneration() {
        map.put("a", 1L);
        now.addAndGet(60_000);
        map.put("b", 2L); // a minute on: a new generation
        assertEquals(1L, map.get("a"), "at least one generation's age");
        now.addAndGet(60_000);
        map.put("c", 3L);
        assertNull(map.get("a"), "gone after two");
        assertEquals(2L, map.get("b"));
        assertTrue(map.containsKey("c"));
    }

    @Test
    void aNewerValueWinsAndRemoveAndClearWork() {
        map.put("a", 1L);
        map.put("b", 2L);
        map.put("c", 3L);
        map.put("a", 10L); // rotates: a is in both generations
        assertEquals(10L, map.get("a"));
        assertEquals(10L, map.entrySet().stream().filter(e -> e.getKey().equals("a")).findFirst().orElseThrow().getValue());
        assertEquals(10L, map.remove("a"));
        assertNull(map.get("a"), "removed from both generations");
        map.clear();
        assertEquals(0, map.size());
    }
}
