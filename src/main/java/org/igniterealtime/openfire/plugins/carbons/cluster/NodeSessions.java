package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.xmpp.packet.JID;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * This node's sessions that enabled carbons, held node-locally: full JID to (stream ID, enabled-since millis), and per
 * user the full JIDs with an entry.
 * <p>
 * The stream ID ties an entry to one session: a new session that binds the same full JID starts disabled (XEP-0280 §4
 * is per session), and a late notice about an old session cannot touch the new one's state. Only the node hosting a
 * session ever changes its state (the enable IQ, the session's end and resource binding all happen where the session
 * is), so the hot-path question "did this local session enable carbons" never leaves the node.
 * <p>
 * Every change of a user's entries is handed, inside the per-user update, to a listener ({@link EnabledSessionsCache}
 * publishes it to the cluster), so that concurrent changes for one user reach it in the order they were made.
 */
final class NodeSessions {

    /** Full JID to (stream ID, enabled since). */
    private final Map<String, SimpleImmutableEntry<String, Long>> sessions = new ConcurrentHashMap<>();
    /**
     * Username to the full JIDs with an entry (all are users of this server, so the username is enough, and it is the
     * very string the session's address holds); small immutable arrays, replaced on change.
     */
    private final Map<String, String[]> byUser = new ConcurrentHashMap<>();
    /** Told (username, full JIDs now, null when none) inside each user's update. */
    private final BiConsumer<String, String[]> changed;

    NodeSessions(BiConsumer<String, String[]> changed) {
        this.changed = changed;
    }

    /** @return true if this changed the state; a repeat keeps the original time (XEP-0280 §10.1) */
    boolean enable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = sessions.get(key);
        if (current != null && current.getKey().equals(streamId)) {
            return false;
        }
        sessions.put(key, new SimpleImmutableEntry<>(streamId, System.currentTimeMillis()));
        byUser.compute(resource.getNode(), (user, resources) -> told(user, with(resources, key)));
        return true;
    }

    /** @return true if the session with this stream had an entry, now removed */
    boolean disable(JID resource, String streamId) {
        final String key = resource.toFullJID();
        if (!isEnabled(key, streamId)) {
            return false;
        }
        remove(resource, key);
        return true;
    }

    /** @return true if an earlier session with this full JID (another stream) had an entry, now removed */
    boolean forgetOtherSessions(JID resource, String streamId) {
        final String key = resource.toFullJID();
        final SimpleImmutableEntry<String, Long> current = sessions.get(key);
        if (current != null && !current.getKey().equals(streamId)) {
            remove(resource, key);
            return true;
        }
        return false;
    }

    /** Removes the entry of this full JID, whichever session it belongs to. */
    void forget(JID resource) {
        remove(resource, resource.toFullJID());
    }

    boolean isEnabled(String fullJid, String streamId) {
        final SimpleImmutableEntry<String, Long> current = sessions.get(fullJid);
        return current != null && current.getKey().equals(streamId);
    }

    /** When the session with this stream enabled carbons, or null. */
    Long enabledSince(String fullJid, String streamId) {
        final SimpleImmutableEntry<String, Long> current = sessions.get(fullJid);
        return current != null && current.getKey().equals(streamId) ? current.getValue() : null;
    }

    /** When the session now holding this full JID enabled carbons, or null. */
    Long enabledSince(String fullJid) {
        final SimpleImmutableEntry<String, Long> current = sessions.get(fullJid);
        return current == null ? null : current.getValue();
    }

    /** The user's full JIDs with an entry. */
    Collection<String> ofUser(String username) {
        final String[] resources = username == null ? null : byUser.get(username);
        return resources == null ? Collections.emptyList() : Arrays.asList(resources);
    }

    Set<String> entries() {
        return new HashSet<>(sessions.keySet());
    }

    /** Users with an entry and how many, for the status page of a server that is not clustered. */
    void forEachUser(BiConsumer<String, Integer> action) {
        byUser.forEach((username, resources) -> action.accept(username, resources.length));
    }

    boolean hasUser(String username) {
        return byUser.containsKey(username);
    }

    /** Tells the listener each user's entries again (after the cluster cache was emptied). @return how many users */
    int tellAgain() {
        int users = 0;
        for (String username : byUser.keySet()) {
            byUser.computeIfPresent(username, this::told);
            users++;
        }
        return users;
    }

    int size() {
        return sessions.size();
    }

    private void remove(JID resource, String key) {
        if (sessions.remove(key) != null) {
            byUser.computeIfPresent(resource.getNode(), (user, resources) -> told(user, without(resources, key)));
        }
    }

    private String[] told(String username, String[] resources) {
        changed.accept(username, resources);
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
