package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The engine end to end over a map-backed directory: judge before routing, copy after. */
class CarbonsEngineTest {

    private final MapDirectory directory = new MapDirectory();
    private final Map<String, List<JID>> enabled = directory.enabled;
    private final Map<String, List<JID>> online = directory.online;
    private final CarbonsStatistics statistics = new CarbonsStatistics();
    private final MucOccupancy occupancy = new MucOccupancy(new ConcurrentHashMap<>());
    private final CarbonsEngine engine = new CarbonsEngine(directory, occupancy, new CopiedMessages(new ConcurrentHashMap<>()),
        RuleSettings.DEFAULTS, statistics);

    @Test
    void localConversationCopiesBothSides() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        enabled.put("bob@example.org", List.of(new JID("bob@example.org/B1"), new JID("bob@example.org/B2")));
        final Message original = message("<message from='alice@example.org/A1' to='bob@example.org' type='chat'><body>x</body></message>");

        final InFlightMessage inFlight = engine.beforeRouting(original);
        inFlight.deliveredTo(new JID("bob@example.org/B1"));
        inFlight.deliveredTo(new JID("bob@example.org/B1"));
        final List<Message> copies = engine.afterRouting(inFlight);

        assertEquals(List.of("alice@example.org/A2", "bob@example.org/B2"), copies.stream().map(m -> m.getTo().toString()).toList());
        assertNotNull(copies.get(0).getChildElement("sent", Namespaces.CARBONS));
        assertNotNull(copies.get(1).getChildElement("received", Namespaces.CARBONS));
        assertEquals("bob@example.org", copies.get(1).getFrom().toString());
        assertEquals(1, statistics.sentCopies());
        assertEquals(1, statistics.receivedCopies());
        assertEquals(2L, statistics.decisions().get(Eligibility.CHAT), "one decision per side");
        assertEquals(1L, statistics.decisions(Direction.SENT).get(Eligibility.CHAT), "alice's side");
        assertEquals(1L, statistics.decisions(Direction.RECEIVED).get(Eligibility.CHAT), "bob's side");
        assertEquals(1, statistics.copiesTo(new JID("bob@example.org/B2")), "counted for the resource it was addressed to");
        assertEquals(0, statistics.copiesTo(new JID("bob@example.org/B1")), "B1 got the original, not a copy");

        statistics.forgetResource(new JID("bob@example.org/B2"));
        assertEquals(0, statistics.copiesTo(new JID("bob@example.org/B2")), "a new session starts from zero");
    }

    @Test
    void aMessageToAFullJidIsCopiedToTheRecipientsOtherResourcesAsItReachesTheAddressee() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        enabled.put("bob@example.org", List.of(new JID("bob@example.org/B1"), new JID("bob@example.org/B2")));
        final Message original = message("<message id='m1' from='alice@example.org/A1' to='bob@example.org/B1' type='chat'><body>x</body></message>");
        final JID b1 = new JID("bob@example.org/B1");

        final InFlightMessage inFlight = engine.beforeRouting(original);
        final List<Message> early = engine.atDelivery(inFlight, b1);
        assertEquals(List.of("bob@example.org/B2"), early.stream().map(m -> m.getTo().toString()).toList());
        assertNotNull(early.get(0).getChildElement("received", Namespaces.CARBONS));
        assertEquals(List.of(), engine.atDelivery(inFlight, b1), "once");
        inFlight.deliveredTo(b1);
        final List<Message> after = engine.afterRouting(inFlight);
        assertEquals(List.of("alice@example.org/A2"), after.stream().map(m -> m.getTo().toString()).toList(),
            "after routing, the sent side alone");
        assertNotNull(after.get(0).getChildElement("sent", Namespaces.CARBONS));
        assertEquals(1, statistics.receivedCopies());
        assertEquals(1, statistics.sentCopies());
        assertEquals(early.get(0).getChildElement("received", Namespaces.CARBONS).element("forwarded").asXML(),
            after.get(0).getChildElement("sent", Namespaces.CARBONS).element("forwarded").asXML(), "one forwarded original");
    }

    @Test
    void whereRoutingStillDecidesTheReceivedCopiesWaitForIt() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A1"), new JID("alice@example.org/A2"),
            new JID("alice@example.org/A3")));
        enabled.put("bob@example.org", List.of(new JID("bob@example.org/B1"), new JID("bob@example.org/B2")));
        final JID b1 = new JID("bob@example.org/B1");

        final InFlightMessage toBare = engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org' type='chat'><body>x</body></message>"));
        assertEquals(List.of(), engine.atDelivery(toBare, b1), "Openfire forks a bare-JID message by priority");
        toBare.deliveredTo(b1);
        assertEquals(List.of("alice@example.org/A2", "alice@example.org/A3", "bob@example.org/B2"),
            engine.afterRouting(toBare).stream().map(m -> m.getTo().toString()).toList());

        final InFlightMessage rerouted = engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org/gone' type='chat'><body>x</body></message>"));
        assertEquals(List.of(), engine.atDelivery(rerouted, b1), "the addressee is gone: routed as to the bare JID");

        final InFlightMessage toSelf = engine.beforeRouting(message("<message from='alice@example.org/A1' to='alice@example.org/A2' type='chat'><body>x</body></message>"));
        assertEquals(List.of(), engine.atDelivery(toSelf, new JID("alice@example.org/A2")), "both sides are alice's");
        toSelf.deliveredTo(new JID("alice@example.org/A2"));
        assertEquals(List.of("alice@example.org/A3"), engine.afterRouting(toSelf).stream().map(m -> m.getTo().toString()).toList(),
            "A3 sees it once");

        engine.handingOver(true);
        final InFlightMessage handingOver = engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org/B1' type='chat'><body>x</body></message>"));
        assertEquals(List.of(), engine.atDelivery(handingOver, b1), "looked up after routing while carbons change hands");
        engine.handingOver(false);
    }

    @Test
    void remoteSenderGetsNoSentCopiesAndRemoteRecipientNoReceivedOnes() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        final InFlightMessage in = engine.beforeRouting(message("<message from='juliet@capulet.example/b' to='alice@example.org/A1' type='chat'><body>x</body></message>"));
        assertNull(in.asSent());
        assertEquals(1, engine.afterRouting(in).size());
        final InFlightMessage out = engine.beforeRouting(message("<message from='alice@example.org/A1' to='juliet@capulet.example' type='chat'><body>x</body></message>"));
        assertNull(out.asReceived());
        assertEquals(1, engine.afterRouting(out).size());
    }

    @Test
    void ineligibleMessagesAreNotFollowedAndCounted() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        enabled.put("bob@example.org", List.of(new JID("bob@example.org/B2")));
        assertNull(engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org/B1' type='groupchat'><body>x</body></message>")));
        assertNull(engine.beforeRouting(message("<message from='room@conference.example.org/bob' to='alice@example.org/A1' type='chat'><body>x</body></message>")));
        assertNull(engine.beforeRouting(message("<message from='conference.example.org' to='component.example.org'><body>x</body></message>")),
            "no local user on either side");
        assertNull(engine.beforeRouting(message("<message from='alice@example.org/A1' to='example.org'><body>to the admins</body></message>")),
            "a message to the server itself is no conversation");
        assertEquals(2L, statistics.decisions().get(Eligibility.GROUPCHAT));
        assertEquals(1L, statistics.decisions().get(Eligibility.MUC_PRIVATE_INCOMING));
        assertEquals(1L, statistics.decisions(Direction.RECEIVED).get(Eligibility.MUC_PRIVATE_INCOMING), "judged for alice as recipient");
        assertEquals(0L, statistics.decisions(Direction.SENT).get(Eligibility.MUC_PRIVATE_INCOMING));
    }

    @Test
    void aMessageWorthCopyingWithNobodyToCopyToIsCountedAndNotFollowed() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A1")));
        // Bob has no carbons-enabled resource, Alice only the one that sends: nothing to copy on either side.
        assertNull(engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org' type='chat'><body>x</body></message>")));
        assertEquals(1L, statistics.decisions(Direction.SENT).get(Eligibility.NO_CARBONS_RESOURCE), "alice's only enabled resource sent it");
        assertEquals(1L, statistics.decisions(Direction.RECEIVED).get(Eligibility.NO_CARBONS_RESOURCE), "bob enabled carbons nowhere");
        assertEquals(0L, statistics.decisions().get(Eligibility.CHAT), "counted as nobody to copy to, not as copied");
        // The rules come first: what they do not copy keeps its own reason, without looking anybody's resources up.
        assertNull(engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org' type='groupchat'><body>x</body></message>")));
        assertEquals(2L, statistics.decisions().get(Eligibility.GROUPCHAT));

        // A message from Bob is copied to A1 as received: the sent-side exception is only for the sending resource.
        final InFlightMessage toAlice = engine.beforeRouting(message("<message from='bob@example.org/B1' to='alice@example.org/A2' type='chat'><body>x</body></message>"));
        assertEquals(Eligibility.CHAT, toAlice.asReceived());
        assertEquals(Eligibility.NO_CARBONS_RESOURCE, toAlice.asSent());
        assertEquals(List.of("alice@example.org/A1"), engine.afterRouting(toAlice).stream().map(m -> m.getTo().toString()).toList());

        engine.settings(RuleSettings.DEFAULTS.withCarbonsEnabled(false));
        assertNull(engine.beforeRouting(message("<message from='bob@example.org/B1' to='alice@example.org/A2' type='chat'><body>x</body></message>")));
        assertEquals(2L, statistics.decisions().get(Eligibility.CARBONS_OFF), "switched off on the server says so, for both sides");
    }

    @Test
    void whileCarbonsChangeHandsResourcesAreLookedUpAfterRouting() {
        // The plugin starting: Openfire's built-in carbons still hold Bob's state when the message is judged, and hand
        // it over while the message is routed. Judged by the rules, looked up after routing, B2 gets its copy.
        engine.handingOver(true);
        final InFlightMessage inFlight = engine.beforeRouting(message("<message from='alice@example.org/A1' to='bob@example.org/B1' type='chat'><body>x</body></message>"));
        assertNotNull(inFlight, "followed through routing although nobody had carbons in the plugin's state yet");
        enabled.put("bob@example.org", List.of(new JID("bob@example.org/B2")));
        engine.handingOver(false);
        inFlight.deliveredTo(new JID("bob@example.org/B1"));
        assertEquals(List.of("bob@example.org/B2"), engine.afterRouting(inFlight).stream().map(m -> m.getTo().toString()).toList());
        assertEquals(0L, statistics.decisions().get(Eligibility.NO_CARBONS_RESOURCE), "not judged by the look-up while handing over");
    }

    @Test
    void messageWithoutToIsAddressedToTheSendersBareJid() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A1"), new JID("alice@example.org/A2")));
        final InFlightMessage inFlight = engine.beforeRouting(message("<message from='alice@example.org/A1' type='chat'><body>x</body></message>"));
        assertEquals("alice@example.org", inFlight.recipient().toString());
        final List<Message> copies = engine.afterRouting(inFlight);
        assertEquals(1, copies.size(), "one copy for A2, none back to A1");
        assertEquals("alice@example.org/A2", copies.get(0).getTo().toString());
    }

    @Test
    void newSettingsApplyToTheNextMessage() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        final String xml = "<message from='bob@example.org/B1' to='alice@example.org/A1' type='chat'><body>x</body></message>";
        assertNotNull(engine.beforeRouting(message(xml)));
        engine.settings(RuleSettings.DEFAULTS.withCarbonsEnabled(false));
        assertNull(engine.beforeRouting(message(xml)));
    }

    @Test
    void errorReplyToACopiedMessageIsCopiedAndOneToAnUnknownIdIsNot() {
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        final InFlightMessage chat = engine.beforeRouting(message("<message id='m1' from='juliet@capulet.example/b' to='alice@example.org/A1' type='chat'><body>x</body></message>"));
        chat.deliveredTo(new JID("alice@example.org/A1"));
        assertEquals(1, engine.afterRouting(chat).size());

        final InFlightMessage reply = engine.beforeRouting(message("<message id='m1' from='alice@example.org/A1' to='juliet@capulet.example/b' type='error'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"));
        assertEquals(Eligibility.ERROR_REPLY, reply.asSent());
        assertEquals(1, engine.afterRouting(reply).size());
        assertNull(engine.beforeRouting(message("<message id='other' from='alice@example.org/A1' to='juliet@capulet.example/b' type='error'/>")));
        assertNull(engine.beforeRouting(message("<message id='m1' from='alice@example.org/A1' to='romeo@montague.example/g' type='error'/>")),
            "the same id in another conversation is not a reply");
    }

    @Test
    void partnerInAJoinedRoomOnAnotherServerIsAMucPartner() {
        final JID a1 = new JID("alice@example.org/A1");
        online.put("alice@example.org", List.of(a1, new JID("alice@example.org/A2")));
        enabled.put("alice@example.org", List.of(new JID("alice@example.org/A2")));
        occupancy.presenceToRoom(presence("<presence from='alice@example.org/A1' to='room@muc.remote.example/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>"), a1, false);
        assertNull(engine.beforeRouting(message("<message from='room@muc.remote.example/bob' to='alice@example.org/A1' type='chat'><body>pm</body></message>")));
        assertEquals(1L, statistics.decisions().get(Eligibility.MUC_PRIVATE_INCOMING));
    }

    @Test
    void sentMucPrivateMessageIsCopiedOnlyToResourcesInTheRoomUnderTheSameNick() {
        final JID a1 = new JID("alice@example.org/A1");
        final JID a2 = new JID("alice@example.org/A2");
        final JID a3 = new JID("alice@example.org/A3");
        final JID a4 = new JID("alice@example.org/A4");
        enabled.put("alice@example.org", List.of(a2, a3, a4));
        occupancy.presenceToRoom(presence("<presence to='room@conference.example.org/al'/>"), a1, true);
        occupancy.presenceToRoom(presence("<presence to='room@conference.example.org/al'/>"), a2, true);
        occupancy.presenceToRoom(presence("<presence to='room@conference.example.org/other'/>"), a3, true);

        final InFlightMessage pm = engine.beforeRouting(message("<message from='alice@example.org/A1' to='room@conference.example.org/bob' type='chat'><body>pm</body></message>"));
        assertEquals(Eligibility.MUC_PRIVATE_OUTGOING, pm.asSent());
        assertEquals(List.of("alice@example.org/A2"), engine.afterRouting(pm).stream().map(m -> m.getTo().toString()).toList());
        assertEquals(2L, statistics.incidents().get(Incident.MUC_PRIVATE_NOT_JOINED));

        engine.settings(RuleSettings.DEFAULTS.withMucSameNickOnly(false));
        final InFlightMessage again = engine.beforeRouting(message("<message from='alice@example.org/A1' to='room@conference.example.org/bob' type='chat'><body>pm</body></message>"));
        assertEquals(3, engine.afterRouting(again).size());
    }

    private static org.xmpp.packet.Presence presence(String xml) {
        try {
            return new org.xmpp.packet.Presence(org.dom4j.DocumentHelper.parseText(xml).getRootElement());
        } catch (org.dom4j.DocumentException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
