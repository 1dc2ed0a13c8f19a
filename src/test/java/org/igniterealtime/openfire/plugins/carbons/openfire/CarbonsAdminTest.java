package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.Eligibility;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * What the admin pages are given, over a real state and statistics; only Openfire's session lookup is mocked.
 * The browser test (AdminPagesIT) shows the same over XMPP with few users; this one shows the many-users cases.
 */
class CarbonsAdminTest {

    private final SessionManager sessions = mock(SessionManager.class);
    private final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());
    private final CarbonsStatistics statistics = new CarbonsStatistics();
    private final CarbonsAdmin admin = new CarbonsAdmin(state, statistics, sessions, () -> RuleSettings.DEFAULTS);

    @Test
    void onlyThePageShownIsLookedUpAmongThousandsOfUsers() {
        for (int i = 0; i < 5000; i++) {
            state.enable(new JID(String.format("user%04d@example.org/phone", i)), "s" + i);
            state.enable(new JID(String.format("user%04d@example.org/laptop", i)), "t" + i);
        }
        when(sessions.getSessionCount(anyString())).thenReturn(2);

        final CarbonsAdmin.UserPage page = admin.usersWithCarbons(15 * 100, 15);

        assertEquals(5000, page.paging().total());
        assertEquals(101, page.paging().page());
        assertEquals(15, page.rows().size());
        assertEquals(new CarbonsAdmin.UserRow("user1500", 2, 2), page.rows().get(0));
        assertEquals("user1514", page.rows().get(14).username());
        verify(sessions, times(15)).getSessionCount(anyString());
    }

    @Test
    void aSessionThatEnabledCarbonsBeforePresenceIsListedToo() {
        final ClientSession available = session("alice@example.org/laptop", "s1", true);
        final ClientSession silent = session("alice@example.org/phone", "s2", false);
        when(sessions.getSessions("alice")).thenReturn(List.of(available)); // Openfire lists available sessions only
        when(sessions.getSession(new JID("alice@example.org/phone"))).thenReturn(silent);
        state.enable(new JID("alice@example.org/phone"), "s2");

        final List<CarbonsAdmin.ResourceRow> rows = admin.resourcesOf("alice");

        assertEquals(List.of("laptop", "phone"), rows.stream().map(CarbonsAdmin.ResourceRow::resource).toList());
        assertFalse(rows.get(0).carbons());
        assertNull(rows.get(0).enabledSince());
        assertTrue(rows.get(0).available());
        assertTrue(rows.get(1).carbons());
        assertFalse(rows.get(1).available());
    }

    @Test
    void typedUsernamesAreNormalised() {
        assertEquals("alice", CarbonsAdmin.username("alice"));
        assertEquals("alice", CarbonsAdmin.username(" Alice "));
        assertEquals("alice", CarbonsAdmin.username("alice@example.org/phone"));
        assertNull(CarbonsAdmin.username("<script>"));
        assertNull(CarbonsAdmin.username("   "));
        assertNull(CarbonsAdmin.username(null));
        assertNull(CarbonsAdmin.username("@example.org"));
    }

    @Test
    void summarySplitsReasonsByVerdict() {
        when(sessions.getUserSessionsCount(false)).thenReturn(7);
        state.enable(new JID("alice@example.org/phone"), "s1");

        final CarbonsAdmin.Summary summary = admin.summary();

        assertEquals(7, summary.onlineSessions());
        assertEquals(1, summary.carbonsSessions());
        assertTrue(summary.copiedBy().stream().allMatch(c -> Eligibility.valueOf(c.name()).copies()));
        assertTrue(summary.notCopiedBy().stream().noneMatch(c -> Eligibility.valueOf(c.name()).copies()));
        assertEquals(Eligibility.values().length, summary.copiedBy().size() + summary.notCopiedBy().size());
        assertEquals("carbons.reason.muc-private-incoming",
            summary.notCopiedBy().stream().filter(c -> c.name().equals("MUC_PRIVATE_INCOMING")).findFirst().orElseThrow().key());
    }

    private static ClientSession session(String address, String streamId, boolean available) {
        final ClientSession session = mock(ClientSession.class);
        final StreamID id = mock(StreamID.class);
        when(id.getID()).thenReturn(streamId);
        when(session.getStreamID()).thenReturn(id);
        when(session.getAddress()).thenReturn(new JID(address));
        final Presence presence = new Presence();
        if (!available) {
            presence.setType(Presence.Type.unavailable);
        }
        when(session.getPresence()).thenReturn(presence);
        return session;
    }
}
