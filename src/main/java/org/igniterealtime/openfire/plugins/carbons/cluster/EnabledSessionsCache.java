package org.igniterealtime.openfire.plugins.carbons.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The Openfire cache through which cluster nodes learn each other's carbons-enabled sessions: key
 * {@code username/nodeID}, value that node's enabled resources of the user (full JID to enabled-since millis), JDK types
 * only so that the cache never pins this plugin's class loader.
 * <p>
 * The node ID in the key means every entry has exactly one writer (a node writes only its own sessions' entry, never
 * read-modify-write on a shared one), one read per other node answers "which of this user's resources there enabled
 * carbons" (including sessions that have not sent presence, which Openfire's routing table does not list:
 * RoutingTableImpl.getRoutes reads usersSessionsCache, available sessions only), and the entries of a node that died
 * can be found by their key. Written only while clustering runs: a server that is not clustered keeps nothing there, and
 * joining a cluster publishes it all ({@link #republish}).
 * <p>
 * Other nodes' entries are read from a node-local copy ({@link OtherNodesView}, grouped by username), never from the
 * cache on the per-message path: a user's sessions elsewhere cost one local look-up, whatever the number of nodes.
 * Where the cache has no entry events (an Openfire without them), the cache itself is read, one entry per other node.
 */
final class EnabledSessionsCache {

    private static final char NODE_SEPARATOR = '/';

    /** username/nodeID to that node's enabled resources of the user: full JID to enabled since. */
    private final Map<String, HashMap<String, Long>> shared;
    private final ClusterMembership cluster;

    private final OtherNodesView<String, HashMap<String, Long>> others;

    /**
     * @param shared the Openfire cache (an Openfire cache is a map), or a plain concurrent map in tests
     * @param events the cache's entry events
     */
    EnabledSessionsCache(Map<String, HashMap<String, Long>> shared, EntryEvents<String, HashMap<String, Long>> events,
                         ClusterMembership cluster) {
        this.shared = shared;
        this.cluster = cluster;
        this.others = new OtherNodesView<>(shared, events, (key, value) -> cluster.localNode().equals(node(key)), EnabledSessionsCache::username);
    }

    /** Starts (again) keeping the node-local copy of the other nodes' entries: after this node joined a cluster. */
    boolean followOthers() {
        return others.follow();
    }

    /** Stops keeping it: this node left the cluster, or the plugin stops. */
    void stopFollowing() {
        others.stop();
    }

    /** The node-local copy of the other nodes' entries (for the benchmarks). */
    int othersSize() {
        return others.size();
    }

    /**
     * Publishes this node's enabled resources of the user, replacing the entry whole (cache values are never changed
     * in place); removes it when there are none. Nothing while not clustered: nobody else reads it.
     */
    void publish(String username, NodeSessions.Enabled[] sessions, BiFunction<String, NodeSessions.Enabled, String> fullJid) {
        if (!cluster.clustered()) {
            return;
        }
        final String key = key(username, cluster.localNode());
        if (sessions == null) {
            shared.remove(key);
            return;
        }
        final HashMap<String, Long> published = new HashMap<>(sessions.length * 2);
        for (NodeSessions.Enabled enabled : sessions) {
            published.put(fullJid.apply(username, enabled), enabled.since);
        }
        shared.put(key, published);
    }

    /**
     * Removes entries under this node's ID for users it no longer holds (left by an earlier run: Openfire keeps a
     * node's ID across restarts), before the node publishes its users again.
     */
    void removeStaleOwnEntries(Predicate<String> holdsUser) {
        for (String key : new ArrayList<>(shared.keySet())) {
            if (cluster.localNode().equals(node(key)) && !holdsUser.test(username(key))) {
                shared.remove(key);
            }
        }
    }

    /** Removes the entries of nodes that left the cluster. @return how many */
    int removeEntriesOf(Predicate<String> goneNode) {
        int removed = 0;
        for (String key : new ArrayList<>(shared.keySet())) {
            final String node = node(key);
            if (!node.isEmpty() && !node.equals(cluster.localNode()) && goneNode.test(node)) {
                shared.remove(key);
                removed++;
            }
        }
        return removed;
    }

    /**
     * The user's enabled full JIDs on the other nodes that are members: one node-local look-up, none while not clustered
     * (one cache read per other node where the cache has no events).
     */
    Collection<String> onOtherNodes(String username) {
        if (username == null || !cluster.clustered()) {
            return Collections.emptyList();
        }
        List<String> result = null;
        for (HashMap<String, Long> resources : ofOtherMembers(username)) {
            if (!resources.isEmpty()) {
                if (result == null) {
                    result = new ArrayList<>(resources.size());
                }
                result.addAll(resources.keySet());
            }
        }
        return result == null ? Collections.emptyList() : result;
    }

    /** When another node's session with this full JID enabled carbons, as that node published it, or null. */
    Long enabledSinceOnOtherNode(String username, String fullJid) {
        for (HashMap<String, Long> resources : ofOtherMembers(username)) {
            final Long since = resources.get(fullJid);
            if (since != null) {
                return since;
            }
        }
        return null;
    }

    /**
     * The user's entries (full JID to enabled since) of each other node that is a member: from the node-local copy, or,
     * where it is not kept, from the cache.
     */
    private List<HashMap<String, Long>> ofOtherMembers(String username) {
        List<HashMap<String, Long>> found = null;
        if (others.following()) {
            for (Map.Entry<String, HashMap<String, Long>> entry : others.group(username).entrySet()) {
                if (cluster.otherNodes().contains(node(entry.getKey()))) {
                    found = with(found, entry.getValue());
                }
            }
        } else {
            for (String node : cluster.otherNodes()) {
                final HashMap<String, Long> resources = shared.get(key(username, node));
                if (resources != null) {
                    found = with(found, resources);
                }
            }
        }
        return found == null ? Collections.emptyList() : found;
    }

    private static List<HashMap<String, Long>> with(List<HashMap<String, Long>> found, HashMap<String, Long> resources) {
        final List<HashMap<String, Long>> list = found == null ? new ArrayList<>(2) : found;
        list.add(resources);
        return list;
    }

    /**
     * Users with entries and how many enabled resources: the other nodes' (from their copy; {@link #countsOthersOnly()},
     * the caller adds this node's own), or every node's from the cache where the copy is not kept.
     */
    Map<String, Integer> users() {
        final Map<String, Integer> users = new HashMap<>();
        for (Map.Entry<String, HashMap<String, Long>> entry : (others.following() ? others.entries() : shared).entrySet()) {
            if (!node(entry.getKey()).isEmpty() && entry.getValue() != null) {
                users.merge(username(entry.getKey()), entry.getValue().size(), Integer::sum);
            }
        }
        return users;
    }

    /** Enabled sessions of the other nodes, from their copy, or of all nodes from the cache where it is not kept. */
    int size() {
        int size = 0;
        for (HashMap<String, Long> resources : (others.following() ? others.entries() : shared).values()) {
            size += resources == null ? 0 : resources.size();
        }
        return size;
    }

    /** Whether {@link #users} and {@link #size} count the other nodes only (the caller adds this node's own). */
    boolean countsOthersOnly() {
        return others.following();
    }

    private static String key(String username, String node) {
        return username + NODE_SEPARATOR + node;
    }

    private static String username(String key) {
        final int separator = key.lastIndexOf(NODE_SEPARATOR);
        return separator < 0 ? key : key.substring(0, separator);
    }

    private static String node(String key) {
        final int separator = key.lastIndexOf(NODE_SEPARATOR);
        return separator < 0 ? "" : key.substring(separator + 1);
    }
}
