package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-session carbons state, tied to the stream that enabled it. */
class CarbonsStateTest {

    private static final JID A2 = new JID("alice@example.org/A2");
    private final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());

    @Test
    void repeatsKeepTheFirstEnableTime() throws Exception {
        assertTrue(state.enable(A2, "s1"));
        final Long since = state.enabledSince(A2, "s1");
        Thread.sleep(2);
        assertFalse(state.enable(A2, "s1"));
        assertEquals(since, state.enabledSince(A2, "s1"));
        assertTrue(state.disable(A2, "s1"));
        assertFalse(state.disable(A2, "s1"));
    }

    @Test
    void aNewSessionWithTheSameFullJidStartsDisabled() {
        state.enable(A2, "old");
        assertFalse(state.isEnabled(A2, "new"));
        state.forgetOtherSessions(A2, "new");
        assertFalse(state.isEnabled(A2, "old"));
        assertTrue(state.localCandidates(A2.asBareJID()).isEmpty());
    }

    @Test
    void aLateEndOfTheOldSessionLeavesTheNewOneAlone() {
        state.enable(A2, "old");
        state.enable(A2, "new");
        assertFalse(state.disable(A2, "old"), "the old session's end is not the new session's");
        assertTrue(state.isEnabled(A2, "new"));
        assertEquals(1, state.size());
    }

    @Test
    void indexListsTheUsersEnabledResources() {
        state.enable(A2, "s2");
        state.enable(new JID("alice@example.org/A3"), "s3");
        state.enable(new JID("bob@example.org/B1"), "s4");
        assertEquals(2, state.localCandidates(new JID("alice@example.org")).size());
        state.forget(A2);
        assertEquals(1, state.localCandidates(new JID("alice@example.org")).size());
        assertNull(state.enabledSince(A2, "s2"));
        assertEquals(2, state.localEntries().size());
    }
}
