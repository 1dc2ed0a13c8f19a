package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who gets which copy (XEP-0280 §7, §8) when messages travel between real clients through Openfire's routing.
 */
class CarbonsDistributionIT extends CarbonsTestBase {

    @Test
    void messageToFullJidGivesReceivedCarbonsToTheOtherEnabledResources() throws Exception {
        a1.available(0);
        a2.available(0);
        a2.enableCarbons();
        a3.enableCarbons();

        b1.chat("alice@localhost/A1", "hello A1");
        flush(b1, a1, a2, a3);

        assertEquals(List.of("hello A1"), bodies(originals(a1)), "A1 gets the original");
        assertTrue(received(a1).isEmpty(), "the addressed resource gets no carbon (§7)");
        for (XmppClient other : List.of(a2, a3)) {
            final List<Message> copies = received(other);
            assertEquals(1, copies.size(), other.jid() + " gets exactly one received carbon");
            final Message carbon = copies.get(0);
            assertEquals("alice@localhost", carbon.getFrom().toString(), "wrapper comes from the user's bare JID");
            assertEquals(other.jid(), carbon.getTo(), "wrapper is addressed to the receiving resource");
            assertEquals(Message.Type.chat, carbon.getType(), "wrapper keeps the type");
            final Message inner = forwarded(carbon);
            assertEquals("hello A1", inner.getBody());
            assertEquals("bob@localhost/B1", inner.getFrom().toString());
            assertEquals("alice@localhost/A1", inner.getTo().toString());
            assertTrue(originals(other).isEmpty());
        }
    }

    @Test
    void sentCarbonsGoToEveryOtherEnabledResourceEvenWhenTheSenderDidNotEnable() throws Exception {
        a2.enableCarbons();
        a3.enableCarbons();

        a1.chat("bob@localhost/B1", "from A1");
        flush(a1, b1, a2, a3);
        flush(b1, a1);

        assertEquals(List.of("from A1"), bodies(originals(b1)));
        assertTrue(sent(a1).isEmpty() && received(a1).isEmpty(), "the sending resource gets no copy");
        for (XmppClient other : List.of(a2, a3)) {
            final List<Message> copies = sent(other);
            assertEquals(1, copies.size(), other.jid() + " gets exactly one sent carbon");
            assertEquals("alice@localhost", copies.get(0).getFrom().toString());
            assertEquals(other.jid(), copies.get(0).getTo());
            final Message inner = forwarded(copies.get(0));
            assertEquals("from A1", inner.getBody());
            assertEquals("alice@localhost/A1", inner.getFrom().toString());
            assertEquals("bob@localhost/B1", inner.getTo().toString());
        }
    }

    @Test
    void sendingResourceThatEnabledCarbonsGetsNoCopyOfItsOwnMessage() throws Exception {
        a1.enableCarbons();
        a2.enableCarbons();

        a1.chat("bob@localhost/B1", "own message");
        flush(a1, a1, a2);

        assertTrue(sent(a1).isEmpty() && received(a1).isEmpty() && originals(a1).isEmpty());
        assertEquals(1, sent(a2).size());
    }

    @Test
    void resourcesWithoutCarbonsGetNothing() throws Exception {
        a2.enableCarbons();

        b1.chat("alice@localhost/A1", "only A2 wants copies");
        a1.chat("bob@localhost/B1", "reply");
        flush(b1, a1, a2, a3);
        flush(a1, a2, a3);

        assertEquals(1, received(a2).size());
        assertEquals(1, sent(a2).size());
        assertTrue(a3.drain(m -> m.getBody() == null || !m.getBody().startsWith(FLUSH_PREFIX)).isEmpty(), "A3 never enabled");
    }

    @Test
    void bareJidMessageGoesToTheHighestPriorityAndCarbonsToTheRestIncludingNegativePriority() throws Exception {
        a1.available(5);
        a2.available(1);
        a3.available(-1);
        a1.enableCarbons();
        a2.enableCarbons();
        a3.enableCarbons();

        b1.chat("alice@localhost", "to the bare JID");
        flush(b1, a1, a2, a3);

        assertEquals(List.of("to the bare JID"), bodies(originals(a1)), "RFC 6121: the highest priority resource gets the original");
        assertTrue(received(a1).isEmpty());
        for (XmppClient other : List.of(a2, a3)) {
            assertEquals(1, received(other).size(), other.jid() + " gets one carbon");
            assertTrue(originals(other).isEmpty());
        }
    }

    @Test
    void forkedBareJidMessageIsCopiedOnceToTheResourcesThatMissedIt() throws Exception {
        // With route.all-resources Openfire delivers the original to every highest-priority resource and runs
        // the interceptors once per delivery: the carbons must still be made once.
        JiveGlobals.setProperty("route.all-resources", "true");
        a1.available(3);
        a2.available(3);
        a3.available(1);
        a1.enableCarbons();
        a2.enableCarbons();
        a3.enableCarbons();

        b1.chat("alice@localhost", "forked");
        flush(b1, a1, a2, a3);

        assertEquals(List.of("forked"), bodies(originals(a1)));
        assertEquals(List.of("forked"), bodies(originals(a2)));
        assertTrue(received(a1).isEmpty() && received(a2).isEmpty(), "no carbon where the original went");
        assertEquals(1, received(a3).size(), "one carbon for the resource that missed it");
        assertTrue(originals(a3).isEmpty());
    }

    @Test
    void messageToAnUnavailableFullJidIsTreatedAsBare() throws Exception {
        a1.available(2);
        a2.available(1);
        a1.enableCarbons();
        a2.enableCarbons();

        b1.chat("alice@localhost/gone", "to a resource that is not online");
        flush(b1, a1, a2);

        assertEquals(List.of("to a resource that is not online"), bodies(originals(a1)));
        assertEquals(1, received(a2).size());
        assertTrue(received(a1).isEmpty() && originals(a2).isEmpty());
    }

    @Test
    void messageToOneselfReachesEveryResourceExactlyOnce() throws Exception {
        a1.enableCarbons();
        a2.enableCarbons();
        a3.enableCarbons();

        a1.chat("alice@localhost/A3", "note to self");
        flush(a1, a1, a2, a3);

        assertEquals(List.of("note to self"), bodies(originals(a3)));
        assertTrue(sent(a3).isEmpty() && received(a3).isEmpty(), "the addressed resource gets only the original");
        assertEquals(1, sent(a2).size(), "the third resource gets one sent carbon");
        assertTrue(received(a2).isEmpty(), "and no received carbon besides");
        assertTrue(sent(a1).isEmpty() && received(a1).isEmpty() && originals(a1).isEmpty(), "the sender gets nothing");
    }

    @Test
    void resourceThatEnabledCarbonsBeforePresenceGetsCarbons() throws Exception {
        final XmppClient early = login("alice", "A4");
        early.enableCarbons(); // no presence sent: clients enable carbons before presence

        b1.chat("alice@localhost/A1", "early");
        a1.chat("bob@localhost/B1", "early reply");
        flush(b1, early);
        flush(a1, early);

        assertEquals(1, received(early).size());
        assertEquals(1, sent(early).size());
    }

    @Test
    void disablingStopsCarbonsAndRepeatsAreHarmless() throws Exception {
        a2.enableCarbons();
        a2.enableCarbons();
        b1.chat("alice@localhost/A1", "one");
        flush(b1, a2);
        assertEquals(1, received(a2).size(), "enabling twice still gives one copy");

        a2.disableCarbons();
        a2.disableCarbons();
        b1.chat("alice@localhost/A1", "two");
        flush(b1, a2);
        assertTrue(received(a2).isEmpty());
    }

    @Test
    void recipientsPrivateElementIsStrippedAndNothingIsCopied() throws Exception {
        a2.enableCarbons();
        b2.enableCarbons();

        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.chat).setBody("secret")
            .addExtension(element("private", CARBONS)).addExtension(element("no-copy", "urn:xmpp:hints")).build());
        flush(b1, a1, a2, b2);

        final List<Message> delivered = originals(a1);
        assertEquals(1, delivered.size());
        assertNull(delivered.get(0).getExtensionElement("private", CARBONS), "§9: the receiving server removes <private/>");
        assertTrue(received(a2).isEmpty() && sent(b2).isEmpty());
    }

    @Test
    void newSessionWithTheSameFullJidStartsDisabled() throws Exception {
        a2.enableCarbons();
        a2.close();
        final XmppClient again = login("alice", "A2");
        again.available(0);

        b1.chat("alice@localhost/A1", "after reconnect");
        flush(b1, again);
        assertTrue(received(again).isEmpty(), "carbons are per session");

        again.enableCarbons();
        b1.chat("alice@localhost/A1", "after enable");
        flush(b1, again);
        assertEquals(1, received(again).size());
    }

    @Test
    void resourceConflictLeavesTheNewSessionInCharge() throws Exception {
        a2.enableCarbons();
        final XmppClient replacement = login("alice", "A2"); // Openfire closes the first A2 (conflict)
        replacement.available(0);
        replacement.enableCarbons();
        Thread.sleep(300); // let the old session's end run its course

        b1.chat("alice@localhost/A1", "to the new A2");
        flush(b1, replacement);
        assertEquals(1, received(replacement).size(), "the old session's end did not clear the new one's state");
    }

    @Test
    void smackCarbonManagerAcceptsTheCopies() throws Exception {
        final List<String> seen = new CopyOnWriteArrayList<>();
        CarbonManager.getInstanceFor(a2.connection()).addCarbonCopyReceivedListener(
            (direction, carbonCopy, wrappingMessage) -> seen.add(direction + ":" + carbonCopy.getBody()));
        a2.enableCarbons();

        b1.chat("alice@localhost/A1", "in");
        a1.chat("bob@localhost/B1", "out");
        flush(b1, a2);
        flush(a1, a2);

        // Two senders on two connections: the copies may arrive in either order.
        assertEquals(2, seen.size());
        assertEquals(java.util.Set.of("received:in", "sent:out"), java.util.Set.copyOf(seen), "a real client validates and unwraps them");
    }

    static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }
}
