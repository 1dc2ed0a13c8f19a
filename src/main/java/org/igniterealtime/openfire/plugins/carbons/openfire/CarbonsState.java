package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sessions enabled carbons.
 * <p>
 * The truth is an Openfire cache, so every cluster node sees it: full JID to (stream ID, enabled-since
 * millis), JDK types only so that the cache never pins this plugin's class loader. Keys are full JIDs
 * because a full JID lives on one node: enabling and disabling never read-modify-write a shared entry.
 * The stream ID ties an entry to one session: a new session that binds the same full JID starts disabled
 * (XEP-0280 §4 is per session), and a late notice about an old session cannot touch the new one's state.
 * <p>
 * A node-local index (username to full JIDs) answers "which resources of this user" without scanning.
 */
public final class CarbonsState {

    public static final String CACHE_NAME = "Message Carbons Enabled Sessions";

    private final Map<String, SimpleImmutableEntry<String, Long>> enabled;
    /**
     * Username to this node's full JIDs with an entry (all are users of this server, so the username is enough, and
     * it is the very string the session's address holds); small immutable arrays, replaced on change.
     */
    private final Map<String, String[]> localIndex = new ConcurrentHashMap<>();

    /** @param enabled the Openfire cache (an Openfire cache is a map), or a plain concurrent map in tests */
    CarbonsState(Map<String, SimpleImmutableEntry<String, Long>> enabled) {
        this.enabled = enabled;
    }

    /** Opens (or joins, after a plugin reload) the cluster-wide cache. Sessions live indefinitely. */
    static CarbonsState openCache() {
        return new CarbonsState(Caches.open(CACHE_NAME, -1, -1));
    }

    /**
     * Records that the session enabled carbons. Repeats keep the original time (XEP-0280 §10.1).
     *
     * @return true if this changed the state
     */
    public boolean enable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = enabled.get(key);
        if (current != null && current.getKey().equals(streamId)) {
            return false;
        }
        enabled.put(key, new SimpleImmutableEntry<>(streamId, System.currentTimeMillis()));
        localIndex.compute(resource.getNode(), (user, resources) -> with(resources, key));
        return true;
    }

    /**
     * Records that the session disabled carbons; also used when it ends.
     *
     * @return true if this changed the state
     */
    public boolean disable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = enabled.get(key);
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
        final SimpleImmutableEntry<String, Long> current = enabled.get(key);
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

    /** Whether this live session (not merely its full JID) enabled carbons. */
    public boolean isEnabled(ClientSession session) {
        return isEnabled(session.getAddress(), session.getStreamID().getID());
    }

    public boolean isEnabled(JID resource, String streamId) {
        final SimpleImmutableEntry<String, Long> current = enabled.get(resource.toFullJID());
        return current != null && current.getKey().equals(streamId);
    }

    /** When the session enabled carbons, in epoch millis, or null when it has not. */
    public Long enabledSince(JID resource, String streamId) {
        final SimpleImmutableEntry<String, Long> current = enabled.get(resource.toFullJID());
        return current != null && current.getKey().equals(streamId) ? current.getValue() : null;
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

    /** Full JIDs of every session of this node with an entry. */
    public Set<String> localEntries() {
        final Set<String> all = new HashSet<>();
        localIndex.values().forEach(resources -> all.addAll(Arrays.asList(resources)));
        return all;
    }

    /**
     * Every user with carbons enabled on some resource, cluster-wide, with how many resources: one pass over the
     * keys (full JIDs of local users: the username is what precedes the '@'). {@link #sorted} orders the users.
     */
    public Map<String, Integer> enabledUsers() {
        final Map<String, Integer> users = new HashMap<>();
        for (String resource : enabled.keySet()) {
            final int at = resource.indexOf('@');
            if (at > 0) {
                users.merge(resource.substring(0, at), 1, Integer::sum);
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

    /** Entries in the cluster-wide cache. */
    public int size() {
        return enabled.size();
    }

    private void remove(JID resource, String key) {
        enabled.remove(key);
        localIndex.computeIfPresent(resource.getNode(), (user, resources) -> without(resources, key));
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
