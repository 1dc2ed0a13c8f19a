package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Session lifecycle orderings that a client cannot produce on demand: a late end of a replaced session, and a
 * session detached for stream resumption. Openfire's sessions are mocked; the listener and state are real.
 */
class CarbonsSessionListenerTest {

    private static final JID A2 = new JID("alice@example.org/A2");

    private final SessionManager sessions = mock(SessionManager.class);
    private final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());
    private final MucOccupancy occupancy = new MucOccupancy(new ConcurrentHashMap<>());
    private final CarbonsSessionListener listener = new CarbonsSessionListener(state, occupancy, new CarbonsStatistics(), sessions);

    @Test
    void lateEndOfAReplacedSessionKeepsTheNewSessionsState() {
        final ClientSession old = session("old", true);
        final ClientSession current = session("new", false);
        state.enable(A2, "old");
        when(sessions.getSession(A2)).thenReturn(current);

        listener.resourceBound(current);
        state.enable(A2, "new");
        listener.sessionDestroyed(old);

        assertTrue(state.isEnabled(A2, "new"));
        assertFalse(state.isEnabled(A2, "old"));
    }

    @Test
    void endedSessionLosesItsState() {
        final ClientSession ended = session("s1", true);
        state.enable(A2, "s1");
        listener.sessionDestroyed(ended);
        assertFalse(state.isEnabled(A2, "s1"));
        assertTrue(state.localEntries().isEmpty());
    }

    @Test
    void sessionDetachedForResumptionKeepsItsState() {
        final ClientSession detached = session("s1", false);
        when(sessions.getSession(A2)).thenReturn(detached);
        state.enable(A2, "s1");
        listener.sessionDestroyed(detached);
        assertTrue(state.isEnabled(A2, "s1"), "still the routed, open session: it may resume");
    }

    private static ClientSession session(String streamId, boolean closed) {
        final ClientSession session = mock(ClientSession.class);
        final StreamID id = mock(StreamID.class);
        when(id.getID()).thenReturn(streamId);
        when(session.getStreamID()).thenReturn(id);
        when(session.getAddress()).thenReturn(A2);
        when(session.isClosed()).thenReturn(closed);
        return session;
    }
}
