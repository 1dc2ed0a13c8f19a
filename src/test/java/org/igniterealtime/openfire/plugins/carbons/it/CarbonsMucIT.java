package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Carbons around a real MUC room of the in-process Openfire (XEP-0280 §6.1 MUC rules, XSF wiki remarks).
 * Each test has its own room, gone when the clients disconnect.
 * bob/B1 owns the room as "bobnick", alice/A1 joined as "alice"; alice/A2, alice/A3 and bob/B2 enabled carbons.
 */
class CarbonsMucIT extends CarbonsTestBase {

    private String room;
    private MultiUserChat bobsRoom;

    @BeforeEach
    void createRoom() throws Exception {
        room = "lounge-" + UUID.randomUUID().toString().substring(0, 8) + "@conference.localhost";
        bobsRoom = MultiUserChatManager.getInstanceFor(b1.connection()).getMultiUserChat(JidCreate.entityBareFrom(room));
        bobsRoom.create(Resourcepart.from("bobnick")).makeInstant();
        MultiUserChatManager.getInstanceFor(a1.connection()).getMultiUserChat(JidCreate.entityBareFrom(room))
            .join(Resourcepart.from("alice"));
        a2.enableCarbons();
        a3.enableCarbons();
        b2.enableCarbons();
        flush(b1, a1);
        a1.clearInbox();
        b1.clearInbox();
    }

    @Test
    void incomingPrivateMessageFromAnOccupantIsNeverCopied() throws Exception {
        b1.send(message(b1, room + "/alice").ofType(Message.Type.chat).setBody("psst")
            .addExtension(element("x", "http://jabber.org/protocol/muc#user")).build());
        flush(b1, a1, a2, a3, b2);

        assertEquals(List.of("psst"), CarbonsDistributionIT.bodies(originals(a1)), "the joined resource gets the PM");
        assertTrue(received(a2).isEmpty() && received(a3).isEmpty(), "no carbons of a PM received from a room");
        assertEquals(1, sent(b2).size(), "the sender's other resource gets a sent carbon of its outgoing PM");
    }

    @Test
    void groupchatIsNeverCopied() throws Exception {
        bobsRoom.sendMessage("hello room");
        flush(b1, a1, a2, a3, b2);

        assertEquals(1, a1.drain(m -> "hello room".equals(m.getBody())).size());
        for (XmppClient other : List.of(a2, a3, b2)) {
            assertTrue(received(other).isEmpty() && sent(other).isEmpty(), other.jid() + " gets no groupchat carbon");
        }
    }

    @Test
    void mediatedInvitationIsCopiedToBothSides() throws Exception {
        bobsRoom.invite(JidCreate.entityBareFrom("carol@localhost"), "join us");
        final XmppClient c1 = login("carol", "C1");
        c1.available(0);
        bobsRoom.invite(JidCreate.entityBareFrom("alice@localhost"), "join us");
        flush(b1, a1, a2, a3, b2);

        assertEquals(2, sent(b2).size(), "bob's other resource sees both invitations he sent through the room");
        int originalsSeen = 0;
        int carbonsSeen = 0;
        for (XmppClient alice : List.of(a1, a2, a3)) {
            final int originalCount = originals(alice).size();
            final int carbonCount = received(alice).size();
            assertEquals(1, originalCount + carbonCount, alice.jid() + " sees the invitation exactly once");
            originalsSeen += originalCount;
            carbonsSeen += carbonCount;
        }
        assertEquals(1, originalsSeen, "the room's invitation to the bare JID reaches one resource");
        assertEquals(2, carbonsSeen, "the other two get received carbons");
    }
}
