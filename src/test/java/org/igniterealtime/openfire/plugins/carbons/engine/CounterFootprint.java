package org.igniterealtime.openfire.plugins.carbons.engine;

import org.igniterealtime.openfire.plugins.carbons.bench.Heap;
import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Heap the status page's per-resource count ("carbons delivered to it") costs per resource that got a copy: used
 * heap after GC with every resource counted once, minus before. The addresses exist on both sides.
 */
public final class CounterFootprint {

    private CounterFootprint() {
    }

    public static double bytesPerCountedResource(int resources) throws InterruptedException {
        final List<JID> addresses = new ArrayList<>(resources);
        for (int i = 0; i < resources; i++) {
            final JID address = new JID("user" + i + "@example.org/" + UUID.randomUUID().toString().substring(0, 8));
            address.toFullJID();
            addresses.add(address);
        }
        final CarbonsStatistics statistics = new CarbonsStatistics();
        final long before = Heap.usedAfterGc();
        for (JID address : addresses) {
            statistics.copied(Direction.RECEIVED, List.of(address));
        }
        final long after = Heap.usedAfterGc();
        if (statistics.resourcesCounted() != resources) {
            throw new IllegalStateException("counted " + statistics.resourcesCounted());
        }
        return (after - before) / (double) resources;
    }
}
