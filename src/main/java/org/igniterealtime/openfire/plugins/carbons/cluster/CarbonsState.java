package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmpp.packet.JID;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which sessions enabled carbons: this node's own ({@link NodeSessions}, node-local, asked on every message) and, in a
 * cluster, the other nodes' as they published them ({@link EnabledSessionsCache}). Every change of this node's sessions
 * is published as it is made, while clustering runs.
 * <p>
 * Openfire 5.1.1 purges clusterable caches when a node joins or leaves the cluster (CacheFactory.joinedCluster /
 * leftCluster, "purge content"): {@link #republish()} puts this node's entries back.
 */
public final class CarbonsState implements CarbonsCluster.SharedEntries {

    public static final String CACHE_NAME = "Message Carbons Enabled Sessions";

    private final NodeSessions own = new NodeSessions(this::published);
    private final EnabledSessionsCache cache;
    private final ClusterMembership cluster;

    /** @param shared the Openfire cache (an Openfire cache is a map), or a plain concurrent map in tests */
    public CarbonsState(Map<String, HashMap<String, Long>> shared) {
        this(shared, ClusterMembership.STANDALONE);
    }

    /** A state whose cache has no entry events: other nodes' entries are read from the cache itself. */
    public CarbonsState(Map<String, HashMap<String, Long>> shared, ClusterMembership cluster) {
        this(shared, EntryEvents.none(), cluster);
    }

    /** @param events the cache's entry events, which keep a node-local copy of the other nodes' entries */
    public CarbonsState(Map<String, HashMap<String, Long>> shared, EntryEvents<String, HashMap<String, Long>> events,
                        ClusterMembership cluster) {
        this.cache = new EnabledSessionsCache(shared, events, cluster);
        this.cluster = cluster;
    }

    /** Opens (or joins, after a plugin reload) the cluster-wide cache. Sessions live indefinitely. */
    public static CarbonsState openCache(ClusterMembership cluster) {
        final org.jivesoftware.util.cache.Cache<String, HashMap<String, Long>> shared = Caches.open(CACHE_NAME, -1, -1);
        return new CarbonsState(shared, new OpenfireCacheEvents<>(shared), cluster);
    }

    /**
     * Records that the session enabled carbons. Repeats keep the original time (XEP-0280 §10.1).
     *
     * @return true if this changed the state
     */
    public boolean enable(JID resource, String streamId) {
        return own.enable(resource, streamId);
    }

    /**
     * Records that the session disabled carbons; also used when it ends.
     *
     * @return true if this changed the state
     */
    public boolean disable(JID resource, String streamId) {
        return own.disable(resource, streamId);
    }

    /**
     * Drops whatever an earlier session with this full JID left behind.
     *
     * @return true if there was such an entry
     */
    public boolean forgetOtherSessions(JID resource, String streamId) {
        return own.forgetOtherSessions(resource, streamId);
    }

    /** Drops the entry of this full JID, whichever session it belongs to. */
    public void forget(JID resource) {
        own.forget(resource);
    }

    /** Whether this live session of this node (not merely its full JID) enabled carbons. */
    public boolean isEnabled(ClientSession session) {
        return isEnabled(session.getAddress(), session.getStreamID().getID());
    }

    /** Whether this node's session with this stream enabled carbons. */
    public boolean isEnabled(JID resource, String streamId) {
        return own.isEnabled(resource.getNode(), resource.getResource(), streamId);
    }

    /**
     * Whether this node's session with this stream, of this user and resource (as {@link #localResources} hands them
     * out), enabled carbons: no string to build on the per-message path.
     */
    public boolean isEnabled(String username, String resource, String streamId) {
        return own.isEnabled(username, resource, streamId);
    }

    /** When this node's session enabled carbons, in epoch millis, or null when it has not. */
    public Long enabledSince(JID resource, String streamId) {
        return own.enabledSince(resource.getNode(), resource.getResource(), streamId);
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
        return cache.enabledSinceOnOtherNode(resource.getNode(), resource.toFullJID());
    }

    /** Resources of this node's sessions of the user that have an entry (not yet checked against live sessions). */
    public Collection<String> localResources(String username) {
        return own.resourcesOf(username);
    }

    /**
     * Full JIDs of the user's sessions on the other cluster nodes that enabled carbons, as those nodes published them:
     * one cache read per other node, none at all when the server is not clustered.
     */
    public Collection<String> otherNodesCandidates(String username) {
        return cache.onOtherNodes(username);
    }

    /** Full JIDs of every session of this node with an entry. */
    public Set<String> localEntries() {
        return own.entries();
    }

    /**
     * Every user with carbons enabled on some resource, cluster-wide, with how many resources; this node's own when the
     * server is not clustered. {@link #sorted} orders the users.
     */
    public Map<String, Integer> enabledUsers() {
        if (cluster.clustered() && !cache.countsOthersOnly()) {
            return cache.users();
        }
        final Map<String, Integer> users = cluster.clustered() ? cache.users() : new HashMap<>();
        own.forEachUser((username, count) -> users.merge(username, count, Integer::sum));
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
        return cache.countsOthersOnly() ? cache.size() + own.size() : cache.size();
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
        cache.removeStaleOwnEntries(own::hasUser);
        return own.tellAgain();
    }

    /**
     * Removes the entries of nodes that left the cluster (a node that died cannot remove its own). Run by the senior
     * member, as Openfire's RoutingTableImpl.leftCluster(nodeID) cleans up the routes of a node that left.
     *
     * @return how many entries were removed
     */
    @Override
    public int removeEntriesOf(Predicate<String> goneNode) {
        return cache.removeEntriesOf(goneNode);
    }

    @Override
    public boolean followOthers() {
        return cache.followOthers();
    }

    @Override
    public void stopFollowing() {
        cache.stopFollowing();
    }

    /** How many entries of other nodes this node keeps a copy of (for the benchmarks). */
    public int othersKept() {
        return cache.othersSize();
    }

    /** A change of this node's sessions of one user, made inside that user's update: published in that order. */
    private void published(String username, NodeSessions.Enabled[] sessions) {
        cache.publish(username, sessions, own::fullJid);
    }
}
