package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmpp.packet.JID;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which sessions enabled carbons.
 * <p>
 * This node's sessions are held here, node-locally: full JID to (stream ID, enabled-since millis). The stream ID
 * ties an entry to one session: a new session that binds the same full JID starts disabled (XEP-0280 §4 is per
 * session), and a late notice about an old session cannot touch the new one's state. Only the node hosting a session
 * ever changes its state (the enable IQ, the session's end and resource binding all happen where the session is),
 * so the hot-path question "did this local session enable carbons" never leaves the node.
 * <p>
 * Other nodes learn it from an Openfire cache, written only while clustering runs (a server that is not clustered
 * keeps nothing there; joining a cluster publishes it all, see {@link #republish()}): key {@code username/nodeID}, value
 * that node's enabled resources of the user (full JID to enabled-since millis), JDK types only so that the cache
 * never pins this plugin's class loader. The node ID in the key means every entry has exactly one writer (a node
 * writes only its own sessions' entry, never read-modify-write on a shared one), one read per other node answers
 * "which of this user's resources there enabled carbons" (including sessions that have not sent presence, which
 * Openfire's routing table does not list: RoutingTableImpl.getRoutes reads usersSessionsCache, available sessions
 * only), and the entries of a node that died can be found by their key.
 * <p>
 * Openfire 5.1.1 purges clusterable caches when a node joins or leaves the cluster (CacheFactory.joinedCluster /
 * leftCluster, "purge content"): {@link #republish()} puts this node's entries back.
 */
public final class CarbonsState implements CarbonsCluster.SharedEntries {

    public static final String CACHE_NAME = "Message Carbons Enabled Sessions";
    private static final char NODE_SEPARATOR = '/';

    /** This node's sessions: full JID to (stream ID, enabled since). */
    private final Map<String, SimpleImmutableEntry<String, Long>> own = new ConcurrentHashMap<>();
    /**
     * Username to this node's full JIDs with an entry (all are users of this server, so the username is enough, and
     * it is the very string the session's address holds); small immutable arrays, replaced on change.
     */
    private final Map<String, String[]> localIndex = new ConcurrentHashMap<>();
    /** username/nodeID to that node's enabled resources of the user: full JID to enabled since. */
    private final Map<String, HashMap<String, Long>> shared;
    private final ClusterMembership cluster;

    /** @param shared the Openfire cache (an Openfire cache is a map), or a plain concurrent map in tests */
    CarbonsState(Map<String, HashMap<String, Long>> shared) {
        this(shared, ClusterMembership.STANDALONE);
    }

    CarbonsState(Map<String, HashMap<String, Long>> shared, ClusterMembership cluster) {
        this.shared = shared;
        this.cluster = cluster;
    }

    /** Opens (or joins, after a plugin reload) the cluster-wide cache. Sessions live indefinitely. */
    static CarbonsState openCache(ClusterMembership cluster) {
        return new CarbonsState(Caches.open(CACHE_NAME, -1, -1), cluster);
    }

    /**
     * Records that the session enabled carbons. Repeats keep the original time (XEP-0280 §10.1).
     *
     * @return true if this changed the state
     */
    public boolean enable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = own.get(key);
        if (current != null && current.getKey().equals(streamId)) {
            return false;
        }
        own.put(key, new SimpleImmutableEntry<>(streamId, System.currentTimeMillis()));
        localIndex.compute(resource.getNode(), (user, resources) -> publish(user, with(resources, key)));
        return true;
    }

    /**
     * Records that the session disabled carbons; also used when it ends.
     *
     * @return true if this changed the state
     */
    public boolean disable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = own.get(key);
        if (current == null || !current.getKey().equals(streamId)) {
            return false;
        }
        remove(resource, key);
        return true;
    }

    /**
     * Drops whatever an earlier session with this full JID left behind.
     *
     * @return true if there was such an entry
     */
    public boolean forgetOtherSessions(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = own.get(key);
        if (current != null && !current.getKey().equals(streamId)) {
            remove(resource, key);
            return true;
        }
        return false;
    }

    /** Drops the entry of this full JID, whichever session it belongs to. */
    public void forget(JID resource) {
        remove(resource, resource.toFullJID());
    }

    /** Whether this live session of this node (not merely its full JID) enabled carbons. */
    public boolean isEnabled(ClientSession session) {
        return isEnabled(session.getAddress(), session.getStreamID().getID());
    }

    /** Whether this node's session with this stream enabled carbons. */
    public boolean isEnabled(JID resource, String streamId) {
        return isEnabled(resource.toFullJID(), streamId);
    }

    /**
     * Whether this node's session with this stream, bound to this full JID (as {@link #localCandidates} hands it out),
     * enabled carbons: no key to build on the per-message path.
     */
    public boolean isEnabled(String fullJid, String streamId) {
        final SimpleImmutableEntry<String, Long> current = own.get(fullJid);
        return current != null && current.getKey().equals(streamId);
    }

    /** When this node's session enabled carbons, in epoch millis, or null when it has not. */
    public Long enabledSince(JID resource, String streamId) {
        final SimpleImmutableEntry<String, Long> current = own.get(resource.toFullJID());
        return current != null && current.getKey().equals(streamId) ? current.getValue() : null;
    }

    /**
     * When the session enabled carbons, in epoch millis, or null when it has not: this node's session by its stream,
     * a session on another cluster node (Openfire hands those out as RemoteClientSession) as its node published it.
     */
    public Long enabledSince(ClientSession session) {
        if (session instanceof LocalClientSession) {
            return enabledSince(session.getAddress(), session.getStreamID().getID());
        }
        return enabledSinceOnOtherNode(session.getAddress());
    }

    /**
     * When the session on another cluster node enabled carbons, as that node published it, or null when it has not.
     * Another node's session is known by its full JID only (its stream ID would cost a cluster round trip).
     */
    public Long enabledSinceOnOtherNode(JID resource) {
        for (String node : cluster.otherNodes()) {
            final HashMap<String, Long> resources = shared.get(key(resource.getNode(), node));
            final Long since = resources == null ? null : resources.get(resource.toFullJID());
            if (since != null) {
                return since;
            }
        }
        return null;
    }

    /** Full JIDs of this node's sessions of the user that have an entry (not yet checked against live sessions). */
    public Collection<String> localCandidates(JID user) {
        return localCandidates(user.getNode());
    }

    /** Full JIDs of this node's sessions of the user that have an entry (not yet checked against live sessions). */
    public Collection<String> localCandidates(String username) {
        final String[] resources = username == null ? null : localIndex.get(username);
        return resources == null ? Collections.emptyList() : Arrays.asList(resources);
    }

    /**
     * Full JIDs of the user's sessions on the other cluster nodes that enabled carbons, as those nodes published them:
     * one cache read per other node, none at all when the server is not clustered.
     */
    public Collection<String> otherNodesCandidates(String username) {
        if (username == null || !cluster.clustered()) {
            return Collections.emptyList();
        }
        List<String> result = null;
        for (String node : cluster.otherNodes()) {
            final HashMap<String, Long> resources = shared.get(key(username, node));
            if (resources != null && !resources.isEmpty()) {
                if (result == null) {
                    result = new ArrayList<>(resources.size());
                }
                result.addAll(resources.keySet());
            }
        }
        return result == null ? Collections.emptyList() : result;
    }

    /** Full JIDs of every session of this node with an entry. */
    public Set<String> localEntries() {
        return new HashSet<>(own.keySet());
    }

    /**
     * Every user with carbons enabled on some resource, cluster-wide, with how many resources: one pass over the
     * entries (username/node: the username is what precedes the last '/'); this node's index when the server is not
     * clustered. {@link #sorted} orders the users.
     */
    public Map<String, Integer> enabledUsers() {
        final Map<String, Integer> users = new HashMap<>();
        if (!cluster.clustered()) {
            localIndex.forEach((username, resources) -> users.put(username, resources.length));
            return users;
        }
        for (Map.Entry<String, HashMap<String, Long>> entry : shared.entrySet()) {
            final int separator = entry.getKey().lastIndexOf(NODE_SEPARATOR);
            if (separator > 0 && entry.getValue() != null) {
                users.merge(entry.getKey().substring(0, separator), entry.getValue().size(), Integer::sum);
            }
        }
        return users;
    }

    /** The users of {@link #enabledUsers()} in alphabetical order (an array sort beats a tree map here). */
    public static String[] sorted(Map<String, Integer> users) {
        final String[] names = users.keySet().toArray(new String[0]);
        Arrays.sort(names);
        return names;
    }

    /** Sessions with carbons enabled, cluster-wide. */
    public int size() {
        if (!cluster.clustered()) {
            return own.size();
        }
        int size = 0;
        for (HashMap<String, Long> resources : shared.values()) {
            size += resources == null ? 0 : resources.size();
        }
        return size;
    }

    /**
     * Puts this node's entries (back) into the shared cache: Openfire empties clusterable caches when this node joins
     * or leaves a cluster (CacheFactory.joinedCluster / leftCluster in 5.1.1). Entries under this node's ID that this
     * node no longer holds (left by an earlier run: Openfire keeps a node's ID across restarts) are removed.
     *
     * @return how many users' entries were published
     */
    @Override
    public int republish() {
        final String suffix = NODE_SEPARATOR + cluster.localNode();
        for (String key : new ArrayList<>(shared.keySet())) {
            if (key.endsWith(suffix) && !localIndex.containsKey(key.substring(0, key.length() - suffix.length()))) {
                shared.remove(key);
            }
        }
        int users = 0;
        for (String username : localIndex.keySet()) {
            localIndex.computeIfPresent(username, this::publish);
            users++;
        }
        return users;
    }

    /**
     * Removes the entries of nodes that left the cluster (a node that died cannot remove its own). Run by the senior
     * member, as Openfire's RoutingTableImpl.leftCluster(nodeID) cleans up the routes of a node that left.
     *
     * @return how many entries were removed
     */
    @Override
    public int removeEntriesOf(Predicate<String> goneNode) {
        int removed = 0;
        for (String key : new ArrayList<>(shared.keySet())) {
            final int separator = key.lastIndexOf(NODE_SEPARATOR);
            final String node = separator > 0 ? key.substring(separator + 1) : null;
            if (node != null && !node.equals(cluster.localNode()) && goneNode.test(node)) {
                shared.remove(key);
                removed++;
            }
        }
        return removed;
    }

    private String key(String username, String node) {
        return username + NODE_SEPARATOR + node;
    }

    private void remove(JID resource, String key) {
        if (own.remove(key) != null) {
            localIndex.computeIfPresent(resource.getNode(), (user, resources) -> publish(user, without(resources, key)));
        }
    }

    /**
     * Publishes this node's enabled resources of the user, inside the index's per-user update so that concurrent
     * changes for one user are published in the order they were made.
     *
     * @return the resources, for the index
     */
    private String[] publish(String username, String[] resources) {
        if (!cluster.clustered()) {
            // Nobody else reads it; joining a cluster publishes everything (republish).
            return resources;
        }
        final String key = key(username, cluster.localNode());
        if (resources == null) {
            shared.remove(key);
            return null;
        }
        final HashMap<String, Long> published = new HashMap<>(resources.length * 2);
        for (String resource : resources) {
            final SimpleImmutableEntry<String, Long> entry = own.get(resource);
            if (entry != null) {
                published.put(resource, entry.getValue());
            }
        }
        // A fresh map every time: cache values are replaced whole, never changed in place.
        shared.put(key, published);
        return resources;
    }

    private static String[] with(String[] resources, String key) {
        if (resources == null) {
            return new String[]{key};
        }
        for (String resource : resources) {
            if (resource.equals(key)) {
                return resources;
            }
        }
        final String[] grown = Arrays.copyOf(resources, resources.length + 1);
        grown[resources.length] = key;
        return grown;
    }

    /** The array without the key, or null (which removes the user) when nothing is left. */
    private static String[] without(String[] resources, String key) {
        int kept = 0;
        final String[] shrunk = new String[resources.length];
        for (String resource : resources) {
            if (!resource.equals(key)) {
                shrunk[kept++] = resource;
            }
        }
        return kept == 0 ? null : kept == resources.length ? resources : Arrays.copyOf(shrunk, kept);
    }
}
