package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.settings.GroupPolicy;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.Incident;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The handler's edges that a local client cannot reach over XMPP: requests from other servers and components.
 * Openfire's session lookup is mocked; the rest is the real handler and state.
 */
class CarbonsIQHandlerTest {

    private static final JID ALICE_A1 = new JID("alice@example.org/A1");

    private final SessionManager sessions = mock(SessionManager.class);
    private final ClientSession session = mock(ClientSession.class);
    private final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());
    private final CarbonsStatistics statistics = new CarbonsStatistics();
    private RuleSettings settings = RuleSettings.DEFAULTS;
    private CarbonsIQHandler handler;

    @BeforeEach
    void setUp() {
        final StreamID streamId = mock(StreamID.class);
        when(streamId.getID()).thenReturn("stream-1");
        when(session.getAddress()).thenReturn(ALICE_A1);
        when(session.getStreamID()).thenReturn(streamId);
        when(sessions.getSession(ALICE_A1)).thenReturn(session);
        handler = new CarbonsIQHandler("example.org", sessions, new CarbonsActivation(state, sessions), () -> settings,
            new GroupPolicy() {
                @Override
                public boolean mayEnable(JID user, java.util.Set<String> allowedGroups) {
                    return allowedGroups.isEmpty() || allowedGroups.contains("staff") && user.getNode().equals("alice");
                }
            }, statistics);
    }

    @Test
    void localClientEnablesAndTheBuiltInFlagStaysCleared() {
        final IQ reply = handler.handleIQ(request(ALICE_A1, "enable", IQ.Type.set));
        assertEquals(IQ.Type.result, reply.getType());
        assertTrue(state.isEnabled(ALICE_A1, "stream-1"));
        verify(session).setMessageCarbonsEnabled(false);
    }

    @Test
    void requestFromAnotherServerIsNotAllowed() {
        final IQ reply = handler.handleIQ(request(new JID("romeo@montague.example/garden"), "enable", IQ.Type.set));
        assertEquals(PacketError.Condition.not_allowed, reply.getError().getCondition());
        assertEquals(0, state.size());
    }

    @Test
    void requestFromAComponentOrTheServerIsNotAllowed() {
        assertEquals(PacketError.Condition.not_allowed,
            handler.handleIQ(request(new JID("conference.example.org"), "enable", IQ.Type.set)).getError().getCondition());
        assertEquals(PacketError.Condition.not_allowed,
            handler.handleIQ(request(null, "enable", IQ.Type.set)).getError().getCondition());
        assertEquals(PacketError.Condition.not_allowed,
            handler.handleIQ(request(new JID("alice@example.org/gone"), "enable", IQ.Type.set)).getError().getCondition(),
            "a local address without a session");
        assertEquals(0, state.size());
    }

    @Test
    void policyForbidsEnablingOutsideTheChosenGroupsButAlwaysAllowsDisabling() {
        settings = RuleSettings.DEFAULTS.withAllowedGroups(java.util.Set.of("interns"));
        final IQ refused = handler.handleIQ(request(ALICE_A1, "enable", IQ.Type.set));
        assertEquals(PacketError.Condition.forbidden, refused.getError().getCondition());
        assertEquals(PacketError.Type.auth, refused.getError().getType());
        assertFalse(state.isEnabled(ALICE_A1, "stream-1"));
        assertEquals(1L, statistics.incidents().get(Incident.ENABLE_FORBIDDEN));
        assertEquals(IQ.Type.result, handler.handleIQ(request(ALICE_A1, "disable", IQ.Type.set)).getType());

        settings = RuleSettings.DEFAULTS.withAllowedGroups(java.util.Set.of("staff"));
        assertEquals(IQ.Type.result, handler.handleIQ(request(ALICE_A1, "enable", IQ.Type.set)).getType());
    }

    @Test
    void responsesAreNeverAnswered() {
        assertNull(handler.handleIQ(request(ALICE_A1, "enable", IQ.Type.result)));
        assertNull(handler.handleIQ(request(ALICE_A1, "enable", IQ.Type.error)));
        assertFalse(state.isEnabled(ALICE_A1, "stream-1"));
    }

    private static IQ request(JID from, String element, IQ.Type type) {
        final IQ iq = new IQ(type);
        iq.setFrom(from);
        iq.setTo("example.org");
        iq.setChildElement(element, "urn:xmpp:carbons:2");
        return iq;
    }
}
