package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forged and bounced carbons (XEP-0280 §10.3, §11). */
class CarbonGuardTest {

    private static final JID ALICE_A1 = new JID("alice@example.org/A1");
    private static final String WRAPPED = "<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
        + "<message xmlns='jabber:client' from='eve@evil.example/x' to='alice@example.org/A1'><body>trust me</body></message>"
        + "</forwarded></received>";

    @Test
    void carbonFromAnyoneButTheOwnBareJidIsForged() {
        assertTrue(CarbonGuard.isForgedFor(message("<message from='eve@evil.example/x'>" + WRAPPED + "</message>"), ALICE_A1));
        assertTrue(CarbonGuard.isForgedFor(message("<message from='alice@example.org/A2'>" + WRAPPED + "</message>"), ALICE_A1),
            "a genuine carbon comes from the bare JID, never a full one");
        assertTrue(CarbonGuard.isForgedFor(message("<message>" + WRAPPED + "</message>"), ALICE_A1));
        assertFalse(CarbonGuard.isForgedFor(message("<message from='alice@example.org'>" + WRAPPED + "</message>"), ALICE_A1));
        assertFalse(CarbonGuard.isForgedFor(message("<message from='eve@evil.example/x'><body>hi</body></message>"), ALICE_A1));
    }

    @Test
    void carbonNestedDeeperIsNotTheMessagesOwn() {
        final Message archived = message("<message from='alice@example.org'><result xmlns='urn:xmpp:mam:2'><forwarded xmlns='urn:xmpp:forward:0'>"
            + "<message xmlns='jabber:client' from='eve@evil.example/x'>" + WRAPPED + "</message></forwarded></result></message>");
        assertFalse(CarbonGuard.carriesCarbon(archived));
    }

    @Test
    void onePassFindsWhatTheDeliveryGuardsLookFor() {
        assertEquals(0, CarbonGuard.inspect(message("<message from='bob@example.org/B1'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>")));
        assertEquals(CarbonGuard.CARBON, CarbonGuard.inspect(message("<message from='eve@evil.example/x'>" + WRAPPED + "</message>")));
        assertEquals(CarbonGuard.PRIVATE, CarbonGuard.inspect(message("<message><body>hi</body><private xmlns='urn:xmpp:carbons:2'/></message>")));
        assertEquals(CarbonGuard.CARBON | CarbonGuard.PRIVATE,
            CarbonGuard.inspect(message("<message><private xmlns='urn:xmpp:carbons:2'/>" + WRAPPED + "</message>")));
        assertEquals(0, CarbonGuard.inspect(message("<message><x xmlns='other'><private xmlns='urn:xmpp:carbons:2'/></x></message>")),
            "nested deeper is not the message's own");
    }

    @Test
    void ownAccountIsTheRecipientsBareJidExactly() {
        assertTrue(CarbonGuard.fromOwnAccount(new JID("alice@example.org"), ALICE_A1));
        assertFalse(CarbonGuard.fromOwnAccount(new JID("alice@example.org/A2"), ALICE_A1));
        assertFalse(CarbonGuard.fromOwnAccount(new JID("example.org"), ALICE_A1));
        assertFalse(CarbonGuard.fromOwnAccount(new JID("alice@evil.example"), ALICE_A1));
        assertFalse(CarbonGuard.fromOwnAccount(null, ALICE_A1));
    }

    @Test
    void strippingLeavesTheRest() {
        final Message forged = message("<message from='eve@evil.example/x'><body>hi</body>" + WRAPPED + "</message>");
        CarbonGuard.strip(forged);
        assertFalse(CarbonGuard.carriesCarbon(forged));
        assertEquals("hi", forged.getBody());
    }

    @Test
    void errorsAnsweringOurCopiesAreBounces() {
        final JID alice = new JID("alice@example.org");
        final Message copy = CarbonWrapper.wrap(message("<message from='bob@example.org/B1' to='alice@example.org/A1' type='chat'><body>x</body></message>"),
            Direction.RECEIVED, alice).addressedTo(new JID("alice@example.org/A2"));
        assertTrue(copy.getID().startsWith(CarbonWrapper.ID_PREFIX));
        assertTrue(CarbonGuard.isBouncedCarbon(message("<message type='error' id='" + copy.getID() + "' from='alice@example.org/A2' to='alice@example.org'/>")));
        assertTrue(CarbonGuard.isBouncedCarbon(message("<message type='error' from='alice@example.org/A2' to='alice@example.org'>" + WRAPPED + "</message>")));
        assertFalse(CarbonGuard.isBouncedCarbon(message("<message type='error' id='m1' from='bob@example.org/B1' to='alice@example.org/A1'/>")));
        assertFalse(CarbonGuard.isBouncedCarbon(message("<message type='chat' id='" + copy.getID() + "'/>")));
        final Message copyOfAnError = CarbonWrapper.wrap(message("<message from='bob@example.org/B1' to='alice@example.org/A1' type='error'/>"),
            Direction.RECEIVED, alice).addressedTo(new JID("alice@example.org/A2"));
        assertFalse(CarbonGuard.isBouncedCarbon(copyOfAnError), "our own copy of an error reply");
    }
}
