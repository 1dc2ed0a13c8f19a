package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.event.SessionEventListener;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.openfire.session.Session;

/**
 * Keeps the carbons state in step with the sessions: it dies with its session, and a new session that binds
 * a full JID seen before starts with carbons disabled.
 */
public final class CarbonsSessionListener implements SessionEventListener {

    private final CarbonsState state;
    private final MucOccupancy occupancy;
    private final CarbonsStatistics statistics;
    private final SessionManager sessionManager;

    public CarbonsSessionListener(CarbonsState state, MucOccupancy occupancy, CarbonsStatistics statistics, SessionManager sessionManager) {
        this.state = state;
        this.occupancy = occupancy;
        this.statistics = statistics;
        this.sessionManager = sessionManager;
    }

    @Override
    public void sessionCreated(Session session) {
        // Nothing yet: a session has no full JID before resource binding.
    }

    @Override
    public void resourceBound(Session session) {
        if (session instanceof ClientSession && session.getAddress() != null) {
            // A fresh session: carbons off, in no room, no copies counted.
            state.forgetOtherSessions(session.getAddress(), session.getStreamID().getID());
            occupancy.sessionEnded(session.getAddress());
            statistics.forgetResource(session.getAddress());
        }
    }

    @Override
    public void sessionDestroyed(Session session) {
        ended(session);
    }

    @Override
    public void anonymousSessionCreated(Session session) {
    }

    @Override
    public void anonymousSessionDestroyed(Session session) {
        ended(session);
    }

    private void ended(Session session) {
        if (!(session instanceof ClientSession) || session.getAddress() == null) {
            return;
        }
        // A session detached for stream resumption (XEP-0198) is still the routed session for its address and
        // is not closed: it keeps its state, which it will need when the client resumes.
        if (!session.isClosed() && sessionManager.getSession(session.getAddress()) == session) {
            return;
        }
        // Only this session's entry: a newer session with the same full JID keeps its own. Rooms are left with the
        // session unless a newer session on this node already bound the address (the room entries are then its own);
        // a newer session on another cluster node keeps its entries there.
        state.disable(session.getAddress(), session.getStreamID().getID());
        if (!(sessionManager.getSession(session.getAddress()) instanceof LocalClientSession)) {
            occupancy.sessionEnded(session.getAddress());
            statistics.forgetResource(session.getAddress());
        }
    }
}
