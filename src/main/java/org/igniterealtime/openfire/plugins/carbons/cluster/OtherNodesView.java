package org.igniterealtime.openfire.plugins.carbons.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A node-local copy of what the other cluster nodes wrote into a cluster-wide cache, kept current by the cache's entry
 * events, so that reading it on the thread that routes a message never goes over the network (issue 18: with N nodes,
 * reading the cache itself cost up to N-1 round trips per message, each waiting for Hazelcast's timeouts when a member
 * died without closing its sockets). Openfire keeps such views for its own routing (RoutingTableImpl's
 * routeOwnersByClusterNode, fed through addClusteredCacheEntryListener).
 * <p>
 * {@link #follow()} subscribes first, then copies what the cache holds, then applies the events that came in
 * meanwhile, in order: an entry changed during the copy ends as its last event left it, as it is in the cache. The copy
 * trails the cache by the time Hazelcast takes to deliver an event (milliseconds): a session that enabled carbons on
 * another node a moment ago may miss a copy, as it would have if it had enabled them a moment later.
 * <p>
 * Entries can be grouped (the enabled sessions by username), so that a reader finds a user's entries with one look-up,
 * whatever the number of nodes and users.
 *
 * @param <K> the cache's key
 * @param <V> the cache's value, replaced whole on change (never changed in place)
 */
final class OtherNodesView<K, V> implements EntryEvents.Listener<K, V> {

    private final Map<K, V> cache;
    private final EntryEvents<K, V> events;
    /** Whether an entry is this node's own (the view leaves those to the node's own, node-local state). */
    private final BiPredicate<K, V> own;
    /** The group of a key, or null for a view without groups. */
    private final Function<K, String> group;
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    /** Group to its entries: small maps, replaced whole on change, so that readers iterate them without a lock. */
    private final Map<String, Map<K, V>> groups = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    /** Events that came while following started, to be applied after the copy; null otherwise. */
    private List<Runnable> pending;
    private String subscription;
    private volatile boolean following;

    OtherNodesView(Map<K, V> cache, EntryEvents<K, V> events, BiPredicate<K, V> own, Function<K, String> group) {
        this.cache = cache;
        this.events = events;
        this.own = own;
        this.group = group;
    }

    /**
     * Starts following the cache (again): after this node joined a cluster, when Openfire has swapped the cluster's
     * cache in. Call after the node put its own entries back.
     *
     * @return whether the view now follows the cache; false where the cache has no events (readers then read the cache)
     */
    boolean follow() {
        synchronized (lock) {
            stopLocked();
            pending = new ArrayList<>();
        }
        final String id = events.subscribe(this);
        if (id == null) {
            synchronized (lock) {
                pending = null;
            }
            return false;
        }
        final List<Runnable> buffer;
        synchronized (lock) {
            buffer = pending;
        }
        for (Map.Entry<K, V> entry : cache.entrySet()) {
            set(entry.getKey(), entry.getValue());
        }
        synchronized (lock) {
            if (pending != buffer) {
                // Stopped (or followed again) meanwhile: this subscription is not the view's.
                events.unsubscribe(id);
                if (pending == null && !following) {
                    entries.clear();
                    groups.clear();
                }
                return following;
            }
            pending.forEach(Runnable::run);
            pending = null;
            subscription = id;
            following = true;
        }
        return true;
    }

    /** Stops following and forgets every entry (this node left the cluster, or the plugin stops). */
    void stop() {
        synchronized (lock) {
            stopLocked();
        }
    }

    boolean following() {
        return following;
    }

    V get(K key) {
        return entries.get(key);
    }

    /** The entries of a group, never null. */
    Map<K, V> group(String name) {
        final Map<K, V> members = groups.get(name);
        return members == null ? Collections.emptyMap() : members;
    }

    /** Every entry (for the status page). */
    Map<K, V> entries() {
        return Collections.unmodifiableMap(entries);
    }

    int size() {
        return entries.size();
    }

    @Override
    public void put(K key, V value) {
        event(() -> set(key, value));
    }

    @Override
    public void removed(K key) {
        event(() -> drop(key));
    }

    @Override
    public void cleared() {
        event(() -> {
            entries.clear();
            groups.clear();
        });
    }

    private void event(Runnable change) {
        synchronized (lock) {
            if (pending != null) {
                pending.add(change);
            } else if (following) {
                change.run();
            }
        }
    }

    /** An entry of this node's (a full JID bound here now) replaces another node's: the view drops it. */
    private void set(K key, V value) {
        if (value == null || own.test(key, value)) {
            drop(key);
            return;
        }
        entries.put(key, value);
        if (group != null) {
            groups.compute(group.apply(key), (name, members) -> {
                final Map<K, V> changed = members == null ? new HashMap<>(2) : new HashMap<>(members);
                changed.put(key, value);
                return changed;
            });
        }
    }

    private void drop(K key) {
        if (entries.remove(key) != null && group != null) {
            groups.computeIfPresent(group.apply(key), (name, members) -> {
                if (members.size() == 1 && members.containsKey(key)) {
                    return null;
                }
                final Map<K, V> changed = new HashMap<>(members);
                changed.remove(key);
                return changed;
            });
        }
    }

    private void stopLocked() {
        if (subscription != null) {
            events.unsubscribe(subscription);
            subscription = null;
        }
        following = false;
        pending = null;
        entries.clear();
        groups.clear();
    }
}
