package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** XEP-0280 §6.1's error rule needs to know, per side, which messages were copied: one entry per message serves both. */
class CopiedMessagesTest {

    private static final JID ALICE = new JID("alice@example.org/A1");
    private static final JID BOB = new JID("bob@example.org/B1");

    private final Map<String, Long> cache = new HashMap<>();
    private final CopiedMessages copied = new CopiedMessages(cache);

    @Test
    void eachSideKnowsWhetherItsUserGotCopies() {
        copied.remember(BOB, ALICE, "m1", false, true, true);
        assertTrue(copied.wasCopied(ALICE, BOB, "m1"), "alice's resources got received copies");
        assertFalse(copied.wasCopied(BOB, ALICE, "m1"), "bob's did not");
        assertTrue(copied.wasCopied(new JID("alice@example.org/other"), new JID("bob@example.org"), "m1"), "by bare JID");

        copied.remember(ALICE, BOB, "m2", true, true, true);
        assertTrue(copied.wasCopied(ALICE, BOB, "m2"));
        assertTrue(copied.wasCopied(BOB, ALICE, "m2"));
        assertEquals(2, cache.size(), "one entry per message, whatever the sides");
        assertFalse(copied.wasCopied(ALICE, new JID("carol@example.org"), "m2"), "another conversation");
    }

    @Test
    void inAClusterIdsArePublishedAndAnErrorThisNodeDidNotSeeTheOriginalOfIsLookedUpThere() {
        final Map<String, Long> shared = new HashMap<>();
        final boolean[] clustered = {true};
        final int[] sharedReads = {0};
        final CopiedMessages node1 = new CopiedMessages(new HashMap<>(), () -> clustered[0], shared::put, key -> shared.get(key));
        final CopiedMessages node2 = new CopiedMessages(new HashMap<>(), () -> clustered[0], shared::put, key -> {
            sharedReads[0]++;
            return shared.get(key);
        });
        node1.remember(BOB, ALICE, "m1", false, true, true);
        assertEquals(1, shared.size(), "published");
        assertTrue(node1.wasCopied(ALICE, BOB, "m1"));
        assertTrue(node2.wasCopied(ALICE, BOB, "m1"), "the error entered on the other node");
        assertEquals(1, sharedReads[0], "one cluster read, for the error only");

        clustered[0] = false;
        node1.remember(BOB, ALICE, "m2", false, true, true);
        assertEquals(1, shared.size(), "nothing published while not clustered");
        assertFalse(node2.wasCopied(ALICE, BOB, "m2"));
    }

    @Test
    void aMessageToOneselfCountsForBothSides() {
        copied.remember(ALICE, ALICE.asBareJID(), "m3", true, false, true);
        assertTrue(copied.wasCopied(ALICE, ALICE, "m3"));
    }

    @Test
    void messagesWithoutIdOrWithoutCopiesAreNotRemembered() {
        copied.remember(ALICE, BOB, null, true, true, true);
        copied.remember(ALICE, BOB, "", true, true, true);
        copied.remember(ALICE, BOB, "m4", false, false, true);
        assertTrue(cache.isEmpty());
        assertFalse(copied.wasCopied(ALICE, BOB, null));
    }

    @Test
    void keysNeverMeetThoseOfEarlierVersions() {
        // Before, one entry per side keyed "user partner id" with a timestamp: a cluster upgraded node by node holds both.
        cache.put("alice@example.org bob@example.org m5", System.currentTimeMillis());
        assertFalse(copied.wasCopied(ALICE, BOB, "m5"));
    }
}
