package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.util.JiveGlobals;
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
 * Each test has its own room, gone when the clients disconnect. bob/B1 owns it as "bobnick"; alice is in it
 * twice under the same nick (A1, A2) and once under another (A3); A4 is not in it. Everyone enabled carbons.
 */
class CarbonsMucIT extends CarbonsTestBase {

    private String room;
    private MultiUserChat bobsRoom;
    private XmppClient a4;

    @BeforeEach
    void createRoom() throws Exception {
        room = "lounge-" + UUID.randomUUID().toString().substring(0, 8) + "@conference.localhost";
        bobsRoom = MultiUserChatManager.getInstanceFor(b1.connection()).getMultiUserChat(JidCreate.entityBareFrom(room));
        bobsRoom.create(Resourcepart.from("bobnick")).makeInstant();
        join(a1, "alice");
        join(a2, "alice");
        join(a3, "alice-laptop");
        a4 = login("alice", "A4");
        a4.available(0);
        for (XmppClient client : List.of(a1, a2, a3, a4, b2)) {
            client.enableCarbons();
        }
        flush(b1, a1, a2, a3, a4, b2);
        for (XmppClient client : List.of(a1, a2, a3, a4, b1, b2)) {
            client.clearInbox();
        }
    }

    private void join(XmppClient client, String nick) throws Exception {
        MultiUserChatManager.getInstanceFor(client.connection()).getMultiUserChat(JidCreate.entityBareFrom(room))
            .join(Resourcepart.from(nick));
    }

    @Test
    void sentPrivateMessageIsCopiedOnlyToTheResourcesInTheRoomUnderTheSameNick() throws Exception {
        a1.send(message(a1, room + "/bobnick").ofType(Message.Type.chat).setBody("psst bob")
            .addExtension(element("x", "http://jabber.org/protocol/muc#user")).build());
        flush(a1, b1, a2, a3, a4);

        assertEquals(1, b1.drain(m -> "psst bob".equals(m.getBody())).size());
        assertEquals(1, sent(a2).size(), "joined with the same nick: it can follow the conversation");
        assertTrue(sent(a3).isEmpty(), "joined under another nick");
        assertTrue(sent(a4).isEmpty(), "not in the room: it could not answer");
        assertTrue(sent(a1).isEmpty());
    }

    @Test
    void sentPrivateMessageGoesToEveryResourceWhenTheSameNickRuleIsOff() throws Exception {
        JiveGlobals.setProperty("plugin.carbons.mucPrivateSameNickOnly", "false");
        a1.send(message(a1, room + "/bobnick").ofType(Message.Type.chat).setBody("psst").build());
        flush(a1, a2, a3, a4);
        for (XmppClient other : List.of(a2, a3, a4)) {
            assertEquals(1, sent(other).size(), other.jid().toString());
        }
    }

    @Test
    void receivedPrivateMessageIsNeverCopied() throws Exception {
        b1.send(message(b1, room + "/alice").ofType(Message.Type.chat).setBody("psst alice").build());
        flush(b1, a1, a2, a3, a4, b2);

        assertEquals(List.of("psst alice"), CarbonsDistributionIT.bodies(originals(a1)));
        assertEquals(List.of("psst alice"), CarbonsDistributionIT.bodies(originals(a2)), "the room serves both sessions of the nick");
        for (XmppClient other : List.of(a1, a2, a3, a4)) {
            assertTrue(received(other).isEmpty(), other.jid() + " gets no carbon of a PM from the room");
        }
        assertTrue(originals(a3).isEmpty() && originals(a4).isEmpty());
        assertTrue(sent(b2).isEmpty(), "bob's B2 is not in the room, so it gets no copy of his PM either");
    }

    @Test
    void groupchatIsNeverCopied() throws Exception {
        bobsRoom.sendMessage("hello room");
        flush(b1, a1, a2, a3, a4, b2);

        for (XmppClient joined : List.of(a1, a2, a3)) {
            assertEquals(1, joined.drain(m -> "hello room".equals(m.getBody())).size());
        }
        for (XmppClient other : List.of(a1, a2, a3, a4, b2)) {
            assertTrue(received(other).isEmpty() && sent(other).isEmpty(), other.jid() + " gets no groupchat carbon");
        }
    }

    @Test
    void mediatedInvitationsAreCopiedInBothDirections() throws Exception {
        final XmppClient c1 = login("carol", "C1");
        c1.available(0);
        MultiUserChatManager.getInstanceFor(a1.connection()).getMultiUserChat(JidCreate.entityBareFrom(room))
            .invite(JidCreate.entityBareFrom("carol@localhost"), "join us");
        flush(a1, a2, a3, a4);
        for (XmppClient other : List.of(a2, a3, a4)) {
            assertEquals(1, sent(other).size(), other.jid() + " sees the invitation alice sent");
        }

        bobsRoom.invite(JidCreate.entityBareFrom("alice@localhost"), "come back");
        flush(b1, a1, a2, a3, a4, b2);
        assertEquals(1, sent(b2).size(), "bob's other resource sees the invitation he sent through the room");
        int originalsSeen = 0;
        for (XmppClient alice : List.of(a1, a2, a3, a4)) {
            final int originalCount = originals(alice).size();
            assertEquals(1, originalCount + received(alice).size(), alice.jid() + " sees the invitation exactly once");
            originalsSeen += originalCount;
        }
        assertEquals(1, originalsSeen, "the room's invitation to the bare JID reaches one resource, the others by carbon");
    }
}
