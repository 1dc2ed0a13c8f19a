package org.igniterealtime.openfire.plugins.carbons.cluster;

import java.util.AbstractMap;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A map of per-session entries (keyed by full JID) that every cluster node can read and only the session's node
 * writes. This node's entries are held node-locally, so reading them never leaves the node; while clustering runs,
 * every entry is also put into an Openfire cache, tagged with the writing node's ID (a JDK pair: node ID, value),
 * where other nodes read it. A server that is not clustered writes nothing there.
 * <p>
 * {@link #get} answers for any session of the cluster; {@link #put} and {@link #remove} are called only for this
 * node's sessions; {@link #entrySet()} lists this node's entries. The tag lets the senior member remove the entries
 * of a node that died, and this node's own copy lets it put its entries back after Openfire emptied the cache on a
 * cluster join or leave (CacheFactory.joinedCluster / leftCluster in 5.1.1 purge clusterable caches).
 * <p>
 * Other nodes' entries are read from a node-local copy kept by the cache's entry events ({@link OtherNodesView}), so a
 * read never leaves the node; where the cache has no events, from the cache.
 *
 * @param <V> the value, a JDK type replaced whole on change
 */
public final class NodeOwnedMap<V> extends AbstractMap<String, V> implements CarbonsCluster.SharedEntries {

    private final Map<String, V> own = new ConcurrentHashMap<>();
    private final Map<String, SimpleImmutableEntry<String, V>> shared;
    private final ClusterMembership cluster;
    private final OtherNodesView<String, SimpleImmutableEntry<String, V>> others;

    /** A map whose cache has no entry events: other nodes' entries are read from the cache itself. */
    public NodeOwnedMap(Map<String, SimpleImmutableEntry<String, V>> shared, ClusterMembership cluster) {
        this(shared, EntryEvents.none(), cluster);
    }

    /** @param events the cache's entry events, which keep a node-local copy of the other nodes' entries */
    public NodeOwnedMap(Map<String, SimpleImmutableEntry<String, V>> shared, EntryEvents<String, SimpleImmutableEntry<String, V>> events,
                        ClusterMembership cluster) {
        this.shared = shared;
        this.cluster = cluster;
        this.others = new OtherNodesView<>(shared, events, (key, value) -> cluster.localNode().equals(value.getKey()), null);
    }

    /** Opens (or joins) an Openfire cache as such a map, following its entry events. */
    public static <V> NodeOwnedMap<V> openCache(String name, ClusterMembership cluster) {
        final org.jivesoftware.util.cache.Cache<String, SimpleImmutableEntry<String, V>> shared = Caches.open(name, -1, -1);
        return new NodeOwnedMap<>(shared, new OpenfireCacheEvents<>(shared), cluster);
    }

    @Override
    public V get(Object key) {
        final V value = own.get(key);
        if (value != null || !cluster.clustered()) {
            return value;
        }
        final SimpleImmutableEntry<String, V> published = others.following() ? others.get((String) key) : shared.get(key);
        return published == null ? null : published.getValue();
    }

    @Override
    public V put(String key, V value) {
        if (cluster.clustered()) {
            shared.put(key, new SimpleImmutableEntry<>(cluster.localNode(), value));
        }
        return own.put(key, value);
    }

    /**
     * Removes this node's entry for the full JID. The cache entry goes only when this node wrote it: the full JID may
     * already be bound on another node (a client that reconnected there), whose fresh entry stays.
     */
    @Override
    public V remove(Object key) {
        final V previous = own.remove(key);
        if (!cluster.clustered()) {
            return previous;
        }
        final SimpleImmutableEntry<String, V> published = shared.get(key);
        if (published != null && cluster.localNode().equals(published.getKey())) {
            shared.remove(key);
        }
        return previous;
    }

    /** This node's entries. */
    @Override
    public Set<Entry<String, V>> entrySet() {
        return own.entrySet();
    }

    /**
     * Puts this node's entries back into the cache (after Openfire emptied it on a cluster join or leave), and removes
     * entries under this node's ID that it no longer holds (an earlier run's: Openfire keeps a node's ID across restarts).
     */
    @Override
    public int republish() {
        final String local = cluster.localNode();
        for (Entry<String, SimpleImmutableEntry<String, V>> entry : new ArrayList<>(shared.entrySet())) {
            if (entry.getValue() != null && local.equals(entry.getValue().getKey()) && !own.containsKey(entry.getKey())) {
                shared.remove(entry.getKey());
            }
        }
        if (!cluster.clustered()) {
            return 0;
        }
        own.forEach((key, value) -> shared.put(key, new SimpleImmutableEntry<>(local, value)));
        return own.size();
    }

    @Override
    public boolean followOthers() {
        return others.follow();
    }

    @Override
    public void stopFollowing() {
        others.stop();
    }

    /** How many entries of other nodes this node keeps a copy of (for the benchmarks). */
    public int othersKept() {
        return others.size();
    }

    /**
     * Removes the entries written by nodes that left the cluster; run by the senior member.
     *
     * @return how many entries were removed
     */
    @Override
    public int removeEntriesOf(Predicate<String> goneNode) {
        int removed = 0;
        for (Entry<String, SimpleImmutableEntry<String, V>> entry : new ArrayList<>(shared.entrySet())) {
            final String node = entry.getValue() == null ? null : entry.getValue().getKey();
            if (node != null && !node.equals(cluster.localNode()) && goneNode.test(node)) {
                shared.remove(entry.getKey());
                removed++;
            }
        }
        return removed;
    }
}
