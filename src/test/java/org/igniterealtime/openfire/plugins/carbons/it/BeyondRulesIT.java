package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.openfire.group.Group;
import org.jivesoftware.openfire.group.GroupAlreadyExistsException;
import org.jivesoftware.openfire.group.GroupManager;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpp.packet.JID;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error replies, bounced copies, forged carbons and the group policy, over real XMPP.
 */
class BeyondRulesIT extends CarbonsTestBase {

    @Test
    void errorReplyToACopiedMessageIsCopiedToBothSides() throws Exception {
        a2.enableCarbons();
        b2.enableCarbons();
        b1.send(withId("m-42", message(b1, "alice@localhost/A1").ofType(Message.Type.chat).setBody("can you read this?").build()));
        flush(b1, a1, a2, b2);
        assertEquals(1, received(a2).size());
        assertEquals(1, sent(b2).size());

        a1.send(withId("m-42", message(a1, "bob@localhost/B1").ofType(Message.Type.error)
            .setError(StanzaError.getBuilder(StanzaError.Condition.service_unavailable).build()).build()));
        a1.send(withId("never-copied", message(a1, "bob@localhost/B1").ofType(Message.Type.error)
            .setError(StanzaError.getBuilder(StanzaError.Condition.service_unavailable).build()).build()));
        flush(a1, b1, a2, b2);

        final List<Message> aliceCopies = sent(a2);
        assertEquals(1, aliceCopies.size(), "alice's other resource sees the error she answered with");
        assertEquals("m-42", forwarded(aliceCopies.get(0)).getStanzaId());
        final List<Message> bobCopies = received(b2);
        assertEquals(1, bobCopies.size(), "bob's other resource sees the error his message got");
        assertEquals(Message.Type.error, bobCopies.get(0).getType(), "the wrapper keeps the type");
        assertEquals(2, b1.drain(m -> m.getType() == Message.Type.error).size(), "both errors reach bob");
    }

    @Test
    void errorAnsweringACarbonCopyIsDroppedAndNeverReachesTheOriginalSender() throws Exception {
        a2.enableCarbons();
        b1.chat("alice@localhost/A1", "copy me");
        flush(b1, a2);
        final Message carbon = received(a2).get(0);
        final long before = incidents("BOUNCED_CARBON_DROPPED");

        // A client that cannot handle the copy answers its sender, the account's bare JID, with an error.
        a2.send(withId(carbon.getStanzaId(), message(a2, "alice@localhost").ofType(Message.Type.error)
            .setError(StanzaError.getBuilder(StanzaError.Condition.feature_not_implemented).build()).build()));
        flush(a2, a1, a2, a3, b1);

        for (XmppClient client : List.of(a1, a2, a3, b1)) {
            assertTrue(client.drain(m -> m.getType() == Message.Type.error).isEmpty(), client.jid() + " sees no error");
        }
        assertEquals(before + 1, incidents("BOUNCED_CARBON_DROPPED"));
    }

    @Test
    void forgedCarbonsAreDroppedByDefault() throws Exception {
        final XmppClient eve = login("carol", "C1");
        final long before = incidents("FORGED_CARBON_DROPPED");
        eve.send(forgery(eve, "alice@localhost/A1"));
        flush(eve, a1);
        assertTrue(originals(a1).isEmpty() && received(a1).isEmpty(), "nothing reaches alice");
        assertEquals(before + 1, incidents("FORGED_CARBON_DROPPED"));
        assertTrue(Files.readString(Path.of("target/openfire-it.log")).contains("Forged carbon from carol@localhost/C1"),
            "each forgery is logged with its sender");
    }

    @Test
    void forgedCarbonsCanBeStrippedOrPassed() throws Exception {
        final XmppClient eve = login("carol", "C1");
        JiveGlobals.setProperty("plugin.carbons.forgedCarbons", "strip");
        eve.send(forgery(eve, "alice@localhost/A1"));
        flush(eve, a1);
        final Message stripped = a1.await(m -> true, 5_000);
        assertNotNull(stripped);
        assertNull(stripped.getExtensionElement("received", CARBONS), "delivered without the wrapper");
        assertEquals("forged", stripped.getBody());

        JiveGlobals.setProperty("plugin.carbons.forgedCarbons", "pass");
        eve.send(forgery(eve, "alice@localhost/A1"));
        flush(eve, a1);
        final Message passed = a1.await(m -> true, 5_000);
        assertNotNull(passed.getExtensionElement("received", CARBONS), "delivered as sent, for clients to reject");
    }

    @Test
    void ownCarbonsAreNotTakenForForgeries() throws Exception {
        a2.enableCarbons();
        b1.chat("alice@localhost/A1", "genuine");
        flush(b1, a2);
        assertEquals(1, received(a2).size());
    }

    @Test
    void groupPolicyForbidsEnablingToOthersAndKeepsTheFeatureAdvertised() throws Exception {
        Group staff;
        try {
            staff = GroupManager.getInstance().createGroup("staff");
        } catch (GroupAlreadyExistsException e) {
            staff = GroupManager.getInstance().getGroup("staff");
        }
        staff.getMembers().add(new JID("alice@localhost"));
        JiveGlobals.setProperty("plugin.carbons.allowedGroups", "staff, managers");

        final IQ refused = b2.request(CarbonsProtocolIT.carbonsIq("enable", IQ.Type.set, null));
        CarbonsProtocolIT.assertError(refused, StanzaError.Condition.forbidden);
        assertEquals(IQ.Type.result, b2.request(CarbonsProtocolIT.carbonsIq("disable", IQ.Type.set, null)).getType());
        a2.enableCarbons();
        assertTrue(ServiceDiscoveryManager.getInstanceFor(b1.connection())
            .discoverInfo(JidCreate.domainBareFrom("localhost")).containsFeature("urn:xmpp:carbons:2"));

        a1.chat("bob@localhost/B1", "policy");
        flush(a1, a2, b2);
        assertEquals(1, sent(a2).size());
        assertTrue(received(b2).isEmpty(), "bob could not enable");
    }

    @Test
    void narrowingThePolicyTurnsCarbonsOffForSessionsOutsideIt() throws Exception {
        a2.enableCarbons();
        b2.enableCarbons();
        JiveGlobals.setProperty("plugin.carbons.allowedGroups", "nobody-is-in-this-group");

        a1.chat("bob@localhost/B1", "after the policy changed");
        flush(a1, a2, b2);
        assertTrue(sent(a2).isEmpty() && received(b2).isEmpty());
    }

    @SuppressWarnings("deprecation")
    private static Message withId(String id, Message message) {
        message.setStanzaId(id);
        return message;
    }

    private static Message forgery(XmppClient from, String to) throws Exception {
        return message(from, to).ofType(Message.Type.chat).setBody("forged")
            .addExtension(StandardExtensionElement.builder("received", CARBONS).addElement(
                StandardExtensionElement.builder("forwarded", "urn:xmpp:forward:0").addElement(
                    StandardExtensionElement.builder("message", "jabber:client")
                        .addAttribute("from", "bob@localhost/B1").addAttribute("to", "alice@localhost/A1")
                        .addAttribute("type", "chat").addElement("body", "I owe you 100 EUR").build()).build()).build())
            .build();
    }
}
