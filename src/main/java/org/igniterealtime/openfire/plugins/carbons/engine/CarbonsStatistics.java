package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters since the plugin started: decisions by reason, copies by direction, and copies by the resource they
 * were addressed to. The shared counters are contention-free (LongAdder) because every routed message touches them.
 */
public final class CarbonsStatistics {

    /** Per direction (index {@link Direction#ordinal()}), per reason: a message is judged once for each side. */
    private final LongAdder[][] decisions = new LongAdder[Direction.values().length][Eligibility.values().length];
    private final LongAdder[] incidents = new LongAdder[Incident.values().length];
    private final LongAdder receivedCopies = new LongAdder();
    private final LongAdder sentCopies = new LongAdder();
    /** Per direction: copies an inactive session got at once because their forwarded message was urgent (XEP-0352). */
    private final LongAdder[] atOnceToInactive = {new LongAdder(), new LongAdder()};
    /**
     * Full JID to the copies addressed to it, for the administrator's "did this phone get its carbons?". Only
     * resources that got a copy have an entry, and it goes with the session ({@link #forgetResource}). One
     * resource's copies are rarely made on two threads at once, so a plain AtomicLong (16 bytes) serves.
     */
    private final Map<String, AtomicLong> copiesByResource = new ConcurrentHashMap<>();

    public CarbonsStatistics() {
        for (LongAdder[] side : decisions) {
            for (int i = 0; i < side.length; i++) {
                side[i] = new LongAdder();
            }
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

    void decided(Direction side, Eligibility eligibility) {
        decisions[side.ordinal()][eligibility.ordinal()].increment();
    }

    void copied(Direction direction, List<JID> targets) {
        (direction == Direction.SENT ? sentCopies : receivedCopies).add(targets.size());
        for (JID target : targets) {
            copiesByResource.computeIfAbsent(target.toString(), resource -> new AtomicLong()).incrementAndGet();
        }
    }

    /** A copy went to an inactive session at once, as its forwarded message would have (XEP-0352). */
    public void deliveredAtOnceToInactive(Direction direction) {
        atOnceToInactive[direction.ordinal()].increment();
    }

    /** Copies of this side that inactive sessions got at once, as they would have got the forwarded message. */
    public long atOnceToInactive(Direction direction) {
        return atOnceToInactive[direction.ordinal()].sum();
    }

    /** Copies addressed to this resource (this node's count) since its session bound the address. */
    public long copiesTo(JID resource) {
        final AtomicLong count = copiesByResource.get(resource.toString());
        return count == null ? 0 : count.get();
    }

    /** The session behind this address ended or a new one bound it: its count starts again. */
    public void forgetResource(JID resource) {
        copiesByResource.remove(resource.toString());
    }

    /** Resources with a count, for the footprint benchmarks. */
    public int resourcesCounted() {
        return copiesByResource.size();
    }

    /** How many times each reason was the outcome, one count per message and direction judged (both sides added). */
    public Map<Eligibility, Long> decisions() {
        final Map<Eligibility, Long> result = new EnumMap<>(Eligibility.class);
        for (Eligibility e : Eligibility.values()) {
            result.put(e, decisions(Direction.SENT).get(e) + decisions(Direction.RECEIVED).get(e));
        }
        return result;
    }

    /**
     * How many messages were judged on one side with each outcome: {@link Direction#SENT} for the sender (a user of
     * this server), {@link Direction#RECEIVED} for the recipient. A message copied on a side gives one carbon to
     * each other carbons-enabled resource of that user: none when there is no such resource.
     */
    public Map<Eligibility, Long> decisions(Direction side) {
        final Map<Eligibility, Long> result = new EnumMap<>(Eligibility.class);
        for (Eligibility e : Eligibility.values()) {
            result.put(e, decisions[side.ordinal()][e.ordinal()].sum());
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
