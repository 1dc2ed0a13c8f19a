package org.igniterealtime.openfire.plugins.carbons.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters since the plugin started: decisions by reason and copies by direction. Contention-free
 * (LongAdder) because every routed message touches them.
 */
public final class CarbonsStatistics {

    private final LongAdder[] decisions = new LongAdder[Eligibility.values().length];
    private final LongAdder[] incidents = new LongAdder[Incident.values().length];
    private final LongAdder receivedCopies = new LongAdder();
    private final LongAdder sentCopies = new LongAdder();

    public CarbonsStatistics() {
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = new LongAdder();
        }
        for (int i = 0; i < incidents.length; i++) {
            incidents[i] = new LongAdder();
        }
    }

    public void incident(Incident incident, int count) {
        incidents[incident.ordinal()].add(count);
    }

    /** How many times each incident happened. */
    public Map<Incident, Long> incidents() {
        final Map<Incident, Long> result = new EnumMap<>(Incident.class);
        for (Incident i : Incident.values()) {
            result.put(i, incidents[i.ordinal()].sum());
        }
        return result;
    }

    void decided(Eligibility eligibility) {
        decisions[eligibility.ordinal()].increment();
    }

    void copied(Direction direction, int copies) {
        (direction == Direction.SENT ? sentCopies : receivedCopies).add(copies);
    }

    /** How many times each reason was the outcome, one count per message and direction judged. */
    public Map<Eligibility, Long> decisions() {
        final Map<Eligibility, Long> result = new EnumMap<>(Eligibility.class);
        for (Eligibility e : Eligibility.values()) {
            result.put(e, decisions[e.ordinal()].sum());
        }
        return result;
    }

    public long receivedCopies() {
        return receivedCopies.sum();
    }

    public long sentCopies() {
        return sentCopies.sum();
    }
}
