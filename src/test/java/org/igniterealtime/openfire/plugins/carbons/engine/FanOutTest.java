package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Fan-out planning: who gets which copy, and nobody anything twice. */
class FanOutTest {

    private static final JID A1 = new JID("alice@example.org/A1");
    private static final JID A2 = new JID("alice@example.org/A2");
    private static final JID A3 = new JID("alice@example.org/A3");
    private static final JID B1 = new JID("bob@example.org/B1");
    private static final JID B2 = new JID("bob@example.org/B2");

    @Test
    void receivedCopiesGoToTheEnabledResourcesThatMissedTheOriginal() {
        final FanOut plan = FanOut.plan(B1, List.of(), List.of(A1, A2, A3), List.of(A1));
        assertEquals(List.of(), plan.sent());
        assertEquals(List.of(A2, A3), plan.received());
    }

    @Test
    void forkedOriginalsAreNotCopied() {
        assertEquals(List.of(A3), FanOut.plan(B1, List.of(), List.of(A1, A2, A3), List.of(A1, A2)).received());
    }

    @Test
    void originalStoredOfflineStillReachesEveryEnabledResource() {
        assertEquals(List.of(A1, A2), FanOut.plan(B1, List.of(), List.of(A1, A2), List.of()).received());
    }

    @Test
    void sentCopiesGoToEveryOtherResourceOfTheSender() {
        final FanOut plan = FanOut.plan(A1, List.of(A1, A2, A3), List.of(B2), List.of(B1));
        assertEquals(List.of(A2, A3), plan.sent());
        assertEquals(List.of(B2), plan.received());
    }

    @Test
    void messageToOwnResourceGivesTheThirdResourceOneCopyAndTheSenderNone() {
        final FanOut plan = FanOut.plan(A1, List.of(A1, A2, A3), List.of(A1, A2, A3), List.of(A3));
        assertEquals(List.of(A2), plan.sent());
        assertEquals(List.of(), plan.received());
    }

    @Test
    void messageToOwnBareJidDeliveredToTheSenderIsNotCopiedBackToIt() {
        final FanOut plan = FanOut.plan(A1, List.of(A1, A2), List.of(A1, A2), List.of(A1));
        assertEquals(List.of(A2), plan.sent());
        assertEquals(List.of(), plan.received());
    }

    @Test
    void nothingEnabledMeansNothingPlanned() {
        assertSame(FanOut.NONE, FanOut.plan(A1, List.of(), List.of(), List.of(B1)));
    }
}
