package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * This node's sessions that enabled carbons, held node-locally, per user: each user's enabled sessions as a small
 * array of (resource, stream ID, enabled since).
 * <p>
 * The stream ID ties an entry to one session: a new session that binds the same full JID starts disabled (XEP-0280 §4
 * is per session), and a late notice about an old session cannot touch the new one's state. Only the node hosting a
 * session ever changes its state (the enable IQ, the session's end and resource binding all happen where the session
 * is), so the hot-path question "did this local session enable carbons" never leaves the node, and costs a look-up by
 * username and a scan of that user's few sessions, whatever the number of sessions on the server.
 * <p>
 * Memory: one map entry per user and one small object per session, holding the very resource and stream ID strings
 * the session's address and stream already hold (no full-JID string per session: Tinder builds a new one for every
 * {@code toFullJID()}).
 * <p>
 * Every change of a user's sessions is handed, inside that user's update, to a listener ({@link EnabledSessionsCache}
 * publishes it to the cluster), so that concurrent changes for one user reach it in the order they were made.
 */
final class NodeSessions {

    /** One enabled session. */
    static final class Enabled {
        final String resource;
        final String streamId;
        final long since;

        private Enabled(String resource, String streamId, long since) {
            this.resource = resource;
            this.streamId = streamId;
            this.since = since;
        }
    }

    /** Username (the very string the sessions' addresses hold) to that user's enabled sessions. */
    private final Map<String, Enabled[]> byUser = new ConcurrentHashMap<>();
    /** Told (username, the user's sessions now, null when none) inside each user's update. */
    private final BiConsumer<String, Enabled[]> changed;
    /** This server's domain, as the sessions' addresses give it: full JIDs are built only to be listed or published. */
    private volatile String domain;

    NodeSessions(BiConsumer<String, Enabled[]> changed) {
        this.changed = changed;
    }

    /** @return true if this changed the state; a repeat keeps the original time (XEP-0280 §10.1) */
    boolean enable(JID address, String streamId) {
        if (address.getNode() == null || address.getResource() == null) {
            return false;
        }
        domain = address.getDomain();
        final boolean[] done = {false};
        byUser.compute(address.getNode(), (user, sessions) -> {
            final int at = indexOf(sessions, address.getResource());
            if (at >= 0 && sessions[at].streamId.equals(streamId)) {
                return sessions;
            }
            final Enabled enabled = new Enabled(address.getResource(), streamId, System.currentTimeMillis());
            final Enabled[] now;
            if (at >= 0) {
                now = sessions.clone();
                now[at] = enabled;
            } else {
                now = sessions == null ? new Enabled[]{enabled} : Arrays.copyOf(sessions, sessions.length + 1);
                now[now.length - 1] = enabled;
            }
            done[0] = true;
            return told(user, now);
        });
        return done[0];
    }

    /** @return true if the session with this stream had an entry, now removed */
    boolean disable(JID address, String streamId) {
        return remove(address, streamId, true);
    }

    /** @return true if an earlier session with this full JID (another stream) had an entry, now removed */
    boolean forgetOtherSessions(JID address, String streamId) {
        return remove(address, streamId, false);
    }

    /** Removes the entry of this full JID, whichever session it belongs to. */
    void forget(JID address) {
        remove(address, null, false);
    }

    boolean isEnabled(String username, String resource, String streamId) {
        final Enabled enabled = find(username, resource);
        return enabled != null && enabled.streamId.equals(streamId);
    }

    /** When the session with this stream enabled carbons, or null. */
    Long enabledSince(String username, String resource, String streamId) {
        final Enabled enabled = find(username, resource);
        return enabled != null && enabled.streamId.equals(streamId) ? enabled.since : null;
    }

    /** The resources of the user's sessions with an entry. */
    Collection<String> resourcesOf(String username) {
        final Enabled[] sessions = username == null ? null : byUser.get(username);
        if (sessions == null) {
            return Collections.emptyList();
        }
        final List<String> resources = new ArrayList<>(sessions.length);
        for (Enabled enabled : sessions) {
            resources.add(enabled.resource);
        }
        return resources;
    }

    /** The full JIDs of every session with an entry. */
    Set<String> entries() {
        final Set<String> entries = new HashSet<>();
        byUser.forEach((username, sessions) -> {
            for (Enabled enabled : sessions) {
                entries.add(fullJid(username, enabled));
            }
        });
        return entries;
    }

    /** The full JID of a user's session (for listing and publishing; never on the per-message path). */
    String fullJid(String username, Enabled enabled) {
        return username + '@' + domain + '/' + enabled.resource;
    }

    /** Users with an entry and how many, for the status page of a server that is not clustered. */
    void forEachUser(BiConsumer<String, Integer> action) {
        byUser.forEach((username, sessions) -> action.accept(username, sessions.length));
    }

    boolean hasUser(String username) {
        return byUser.containsKey(username);
    }

    /** Tells the listener each user's sessions again (after the cluster cache was emptied). @return how many users */
    int tellAgain() {
        int users = 0;
        for (String username : byUser.keySet()) {
            byUser.computeIfPresent(username, this::told);
            users++;
        }
        return users;
    }

    int size() {
        int size = 0;
        for (Enabled[] sessions : byUser.values()) {
            size += sessions.length;
        }
        return size;
    }

    /**
     * Removes the session of this full JID: the one with this stream (same), any other (not same), or whichever is there
     * (stream null).
     */
    private boolean remove(JID address, String streamId, boolean same) {
        if (address.getNode() == null || address.getResource() == null) {
            return false;
        }
        final boolean[] done = {false};
        byUser.computeIfPresent(address.getNode(), (user, sessions) -> {
            final int at = indexOf(sessions, address.getResource());
            if (at < 0 || (streamId != null && sessions[at].streamId.equals(streamId) != same)) {
                return sessions;
            }
            done[0] = true;
            if (sessions.length == 1) {
                told(user, null);
                return null;
            }
            final Enabled[] now = new Enabled[sessions.length - 1];
            System.arraycopy(sessions, 0, now, 0, at);
            System.arraycopy(sessions, at + 1, now, at, sessions.length - at - 1);
            return told(user, now);
        });
        return done[0];
    }

    private Enabled find(String username, String resource) {
        final Enabled[] sessions = username == null ? null : byUser.get(username);
        final int at = indexOf(sessions, resource);
        return at < 0 ? null : sessions[at];
    }

    private static int indexOf(Enabled[] sessions, String resource) {
        if (sessions != null && resource != null) {
            for (int i = 0; i < sessions.length; i++) {
                if (sessions[i].resource.equals(resource)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private Enabled[] told(String username, Enabled[] sessions) {
        changed.accept(username, sessions);
        return sessions;
    }
}
