package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.cluster.TestMembership;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.InFlightMessage;
import org.igniterealtime.openfire.plugins.carbons.engine.MapDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.Eligibility;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Presence;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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
        final List<ClientSession> online = new java.util.ArrayList<>();
        for (int i = 1500; i < 1515; i++) {
            online.add(session(String.format("user%04d@example.org/phone", i), "s" + i, true));
            online.add(session(String.format("user%04d@example.org/laptop", i), "t" + i, true));
        }
        online.add(session("user1500@example.org/silent", "u", false));
        when(sessions.getSessions()).thenReturn(online);

        final CarbonsAdmin.UserPage page = admin.usersWithCarbons(15 * 100, 15);

        assertEquals(5000, page.paging().total());
        assertEquals(101, page.paging().page());
        assertEquals(15, page.rows().size());
        assertEquals(new CarbonsAdmin.UserRow("user1500", 2, 3), page.rows().get(0), "every online session counts, also a silent one");
        assertEquals("user1514", page.rows().get(14).username());
        verify(sessions, times(1)).getSessions();
        verify(sessions, never()).getSessionCount(anyString());
    }

    @Test
    void everySessionOpenfireListsIsShownAlsoWithoutPresenceOrCarbons() {
        final ClientSession available = session("alice@example.org/laptop", "s1", true);
        final ClientSession enabledBeforePresence = session("alice@example.org/phone", "s2", false);
        final ClientSession silent = session("alice@example.org/tablet", "s3", false);
        final ClientSession bobs = session("bob@example.org/phone", "s4", true);
        // SessionManager.getSessions(): every client session, as Openfire's Client Sessions page lists them;
        // getSessions("alice") would give the available ones only.
        when(sessions.getSessions()).thenReturn(List.of(bobs, silent, available, enabledBeforePresence));
        state.enable(new JID("alice@example.org/phone"), "s2");

        final List<CarbonsAdmin.ResourceRow> rows = admin.resourcesOf("alice");

        assertEquals(List.of("laptop", "phone", "tablet"), rows.stream().map(CarbonsAdmin.ResourceRow::resource).toList());
        assertFalse(rows.get(0).carbons());
        assertNull(rows.get(0).enabledSince());
        assertTrue(rows.get(0).available());
        assertTrue(rows.get(1).carbons());
        assertFalse(rows.get(1).available());
        assertFalse(rows.get(2).carbons());
        assertFalse(rows.get(2).available());
        assertEquals("alice@example.org/tablet", rows.get(2).address(), "the address Openfire's session details page takes");
    }

    @Test
    void aSessionOnAnotherClusterNodeShowsTheStateItsNodePublished() {
        final java.util.Map<String, java.util.HashMap<String, Long>> shared = new ConcurrentHashMap<>();
        shared.put("alice/n2", new java.util.HashMap<>(java.util.Map.of("alice@example.org/desk", 1234L)));
        final CarbonsState clustered = new CarbonsState(shared, new TestMembership("n1", "n2"));
        final CarbonsAdmin clusterAdmin = new CarbonsAdmin(clustered, statistics, sessions, () -> RuleSettings.DEFAULTS,
            new TestMembership("n1", "n2"), "xmpp1.example.org (n1)");
        // Openfire 5.1.1 hands out another node's session as a RemoteClientSession: not a LocalClientSession, and its
        // stream ID would be a synchronous cluster task, which the page must not need.
        final ClientSession remote = mock(ClientSession.class);
        when(remote.getAddress()).thenReturn(new JID("alice@example.org/desk"));
        when(remote.getPresence()).thenReturn(new Presence());
        when(sessions.getSessions()).thenReturn(List.of(remote));

        final List<CarbonsAdmin.ResourceRow> rows = clusterAdmin.resourcesOf("alice");

        assertEquals(1, rows.size());
        assertTrue(rows.get(0).carbons());
        assertEquals(new java.util.Date(1234L), rows.get(0).enabledSince());
        verify(remote, never()).getStreamID();
        assertEquals(1, clusterAdmin.summary().carbonsSessions(), "cluster-wide count");
        assertEquals(new CarbonsAdmin.Node("xmpp1.example.org (n1)", 2), clusterAdmin.summary().node(), "the page names its node");
        assertNull(admin.summary().node(), "a single server names no node");
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

    @Test
    void figuresSideBySideCountTheSameThingAndAddUp() {
        // One chat between two users of this server: judged once per side; alice (sender) has one other enabled
        // device, bob (recipient) has two.
        final MapDirectory directory = new MapDirectory();
        directory.enabled.put("alice@example.org", List.of(new JID("alice@example.org/A1"), new JID("alice@example.org/A2")));
        directory.enabled.put("bob@example.org", List.of(new JID("bob@example.org/B1"), new JID("bob@example.org/B2"), new JID("bob@example.org/B3")));
        final CarbonsEngine engine = new CarbonsEngine(directory, new MucOccupancy(new ConcurrentHashMap<>()),
            new CopiedMessages(new ConcurrentHashMap<>()), RuleSettings.DEFAULTS, statistics);
        final Message chat = new Message();
        chat.setFrom(new JID("alice@example.org/A1"));
        chat.setTo(new JID("bob@example.org/B1"));
        chat.setType(Message.Type.chat);
        chat.setBody("x");
        final InFlightMessage inFlight = engine.beforeRouting(chat);
        inFlight.deliveredTo(new JID("bob@example.org/B1"));
        engine.afterRouting(inFlight);

        final CarbonsAdmin.Summary summary = admin.summary();

        assertEquals(new CarbonsAdmin.Side(1, 2, 0), summary.received(), "one message for bob, copied to B2 and B3");
        assertEquals(new CarbonsAdmin.Side(1, 1, 0), summary.sent(), "one message for alice, copied to A2");
        final CarbonsAdmin.Reason chatReason = summary.copiedBy().stream().filter(r -> r.name().equals("CHAT")).findFirst().orElseThrow();
        assertEquals(List.of(1L, 1L), List.of(chatReason.received(), chatReason.sent()), "counted once in each side's column, not twice in one");
        assertEquals(summary.received().toCopy(), summary.copiedBy().stream().mapToLong(CarbonsAdmin.Reason::received).sum());
        assertEquals(summary.sent().toCopy(), summary.copiedBy().stream().mapToLong(CarbonsAdmin.Reason::sent).sum());
    }

    /** A session of this node (LocalClientSession, as Openfire's routing table holds it). */
    private static ClientSession session(String address, String streamId, boolean available) {
        final ClientSession session = mock(LocalClientSession.class);
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
