package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsDirectory;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.muc.MultiUserChatManager;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The engine's view of Openfire: local users, MUC services and the live sessions that enabled carbons.
 */
public final class OpenfireDirectory implements CarbonsDirectory {

    private final String domain;
    private final SessionManager sessionManager;
    private final MultiUserChatManager mucManager;
    private final CarbonsState state;

    public OpenfireDirectory(String domain, SessionManager sessionManager, MultiUserChatManager mucManager, CarbonsState state) {
        this.domain = domain;
        this.sessionManager = sessionManager;
        this.mucManager = mucManager;
        this.state = state;
    }

    @Override
    public boolean isLocalUser(JID address) {
        return address.getNode() != null && domain.equals(address.getDomain());
    }

    @Override
    public boolean isMucService(JID address) {
        return !domain.equals(address.getDomain()) && mucManager != null
            && mucManager.getMultiUserChatService(address) != null;
    }

    @Override
    public Collection<JID> onlineResources(JID user) {
        if (user.getNode() == null) {
            return Collections.emptyList();
        }
        final Collection<ClientSession> sessions = sessionManager.getSessions(user.getNode());
        final List<JID> result = new ArrayList<>(sessions.size());
        for (ClientSession session : sessions) {
            if (session != null) {
                result.add(session.getAddress());
            }
        }
        return result;
    }

    @Override
    public Collection<JID> carbonsResources(JID user) {
        final Collection<String> candidates = state.localResources(user.getNode());
        List<JID> result = null;
        for (String candidate : candidates) {
            final ClientSession session = sessionManager.getSession(new JID(user.getNode(), domain, candidate, true));
            // Only this node's own session: when the full JID's route moved to another node (the client reconnected
            // there), asking that RemoteClientSession for its stream ID would be a synchronous cluster call on the
            // routing thread; its node publishes its own state.
            if (session instanceof LocalClientSession && state.isEnabled(user.getNode(), candidate, session.getStreamID().getID())) {
                if (result == null) {
                    result = new ArrayList<>(candidates.size());
                }
                result.add(session.getAddress());
            }
        }
        // Sessions on other cluster nodes, as their nodes published them: also those that enabled carbons before their
        // first presence, which Openfire's routing table does not list. Not looked up when the server is not clustered.
        for (String candidate : state.otherNodesCandidates(user.getNode())) {
            if (result == null) {
                result = new ArrayList<>();
            }
            result.add(address(user.getNode(), candidate));
        }
        return result == null ? Collections.emptyList() : result;
    }

    /**
     * The address behind a full JID of the state, which was a session's own prepared address (CarbonsState keys are
     * {@code toFullJID()} of a session of this server's user): rebuilt from its parts without running stringprep
     * again, which {@code new JID(String)} would do for every candidate of every copied message.
     */
    JID address(String username, String fullJid) {
        final int at = username.length();
        final int slash = at + 1 + domain.length();
        if (fullJid.length() <= slash + 1 || fullJid.charAt(slash) != '/' || fullJid.charAt(at) != '@'
            || !fullJid.startsWith(username) || !fullJid.startsWith(domain, at + 1)) {
            return new JID(fullJid); // not of the expected shape: parse it in full
        }
        return new JID(username, domain, fullJid.substring(slash + 1), true);
    }
}
