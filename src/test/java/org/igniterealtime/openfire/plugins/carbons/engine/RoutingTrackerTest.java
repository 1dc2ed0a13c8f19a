package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Following messages through routing on one thread, as Openfire's interceptor calls show it. */
class RoutingTrackerTest {

    private final RoutingTracker tracker = new RoutingTracker();

    private static InFlightMessage inFlight(Message message) {
        return new InFlightMessage(message, null, message.getTo(), null, Eligibility.CHAT, List.of(), List.of());
    }

    @Test
    void deliveriesOfAForkedMessageAreCollectedOnce() {
        final Message message = new Message();
        tracker.routingStarted(inFlight(message));
        tracker.delivered(message, new JID("a@x/1"));
        tracker.delivered(message, new JID("a@x/2"));
        tracker.delivered(message, new JID("a@x/2"));
        tracker.delivered(new Message(), new JID("a@x/3"));
        assertEquals(List.of(new JID("a@x/1"), new JID("a@x/2")), tracker.routingFinished(message).deliveredTo());
        assertNull(tracker.routingFinished(message), "finished once");
    }

    @Test
    void nestedRoutingOnTheSameThreadKeepsTheMessagesApart() {
        final Message outer = new Message();
        final Message bounce = new Message();
        tracker.routingStarted(inFlight(outer));
        tracker.routingStarted(inFlight(bounce));
        tracker.delivered(bounce, new JID("b@x/1"));
        tracker.delivered(outer, new JID("a@x/1"));
        assertEquals(List.of(new JID("b@x/1")), tracker.routingFinished(bounce).deliveredTo());
        assertEquals(List.of(new JID("a@x/1")), tracker.routingFinished(outer).deliveredTo());
        assertEquals(0, tracker.depth());
    }

    @Test
    void abortedRoutingsDoNotPileUpAndNeverPushOutTheRoutingsInProgress() {
        for (int i = 0; i < 1000; i++) {
            tracker.routingStarted(inFlight(new Message()));
        }
        assertEquals(true, tracker.depth() <= RoutingTracker.MAX_DEPTH);
        final Message outer = new Message();
        final Message nested = new Message();
        final InFlightMessage outerTracked = inFlight(outer);
        tracker.routingStarted(outerTracked);
        tracker.routingStarted(inFlight(nested));
        assertEquals(RoutingTracker.MAX_DEPTH, tracker.depth());
        tracker.routingFinished(nested);
        assertSame(outerTracked, tracker.routingFinished(outer), "the stale entries went, not the message being routed");
    }

    @Test
    void untrackedPacketsAreIgnored() {
        tracker.delivered(new Message(), new JID("a@x/1"));
        assertNull(tracker.routingFinished(new Message()));
    }

    @Test
    void carbonMadeByOpenfireDuringRoutingCountsAsDelivered() {
        final Message original = Stanzas.message("<message id='m1' from='bob@x/B1' to='alice@x/A1' type='chat'><body>hi</body></message>");
        tracker.routingStarted(inFlight(original));
        // What Openfire's built-in carbons deliver: a wrapper around a copy of the original, without our id.
        final Message builtIn = CarbonWrapper.wrap(original, Direction.RECEIVED, new JID("alice@x")).addressedTo(new JID("alice@x/A2"));
        builtIn.setID(null);
        tracker.delivered(builtIn, new JID("alice@x/A2"));
        // Our own copies of another message are not mistaken for it.
        final Message ours = CarbonWrapper.wrap(original, Direction.RECEIVED, new JID("alice@x")).addressedTo(new JID("alice@x/A3"));
        tracker.delivered(ours, new JID("alice@x/A3"));
        assertEquals(List.of(new JID("alice@x/A2")), tracker.routingFinished(original).deliveredTo());
    }
}
