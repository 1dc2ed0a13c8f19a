package org.igniterealtime.openfire.plugins.carbons.it;

import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's Openfire properties take effect at once, without a restart. alice/A2 has carbons enabled.
 */
class CarbonsSettingsIT extends CarbonsTestBase {

    @Test
    void switchingCarbonsOffStopsCopiesAndAdvertisementAndOnResumesThem() throws Exception {
        a2.enableCarbons();

        JiveGlobals.setProperty("plugin.carbons.enabled", "false");
        assertFalse(features().containsFeature("urn:xmpp:carbons:2"));
        assertFalse(features().containsFeature("urn:xmpp:carbons:rules:0"));
        CarbonsProtocolIT.assertError(a3.request(CarbonsProtocolIT.carbonsIq("enable", IQ.Type.set, null)),
            StanzaError.Condition.service_unavailable);
        b1.chat("alice@localhost/A1", "while off");
        flush(b1, a2, a3);
        assertTrue(received(a2).isEmpty() && received(a3).isEmpty());

        JiveGlobals.setProperty("plugin.carbons.enabled", "true");
        assertTrue(features().containsFeature("urn:xmpp:carbons:2"));
        b1.chat("alice@localhost/A1", "on again");
        flush(b1, a2);
        assertEquals(1, received(a2).size(), "sessions that had enabled keep their choice");
    }

    @Test
    void withoutRules0OnlyChatAndNormalWithBodyAreCopied() throws Exception {
        a2.enableCarbons();
        JiveGlobals.setProperty("plugin.carbons.rules0", "false");
        assertFalse(features().containsFeature("urn:xmpp:carbons:rules:0"));
        assertTrue(features().containsFeature("urn:xmpp:carbons:2"));

        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.normal)
            .addExtension(element("request", "urn:xmpp:receipts")).build());
        b1.chat("alice@localhost/A1", "chat is still copied");
        flush(b1, a2);
        assertEquals(1, received(a2).size());

        JiveGlobals.deleteProperty("plugin.carbons.rules0");
        assertTrue(features().containsFeature("urn:xmpp:carbons:rules:0"));
    }

    @Test
    void imPayloadMessagesCanBeLeftUncopied() throws Exception {
        a2.enableCarbons();
        JiveGlobals.setProperty("plugin.carbons.copyImPayloads", "false");

        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.normal)
            .addExtension(element("active", "http://jabber.org/protocol/chatstates")).build());
        flush(b1, a2);
        assertTrue(received(a2).isEmpty());
    }

    @Test
    void noCopyAloneCanBeIgnored() throws Exception {
        a2.enableCarbons();
        JiveGlobals.setProperty("plugin.carbons.honourNoCopy", "false");

        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.chat).setBody("hint only")
            .addExtension(element("no-copy", "urn:xmpp:hints")).build());
        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.chat).setBody("private")
            .addExtension(element("private", CARBONS)).build());
        flush(b1, a2);
        assertEquals(1, received(a2).size(), "no-copy alone is copied, <private/> still is not");
    }

    private DiscoverInfo features() throws Exception {
        return ServiceDiscoveryManager.getInstanceFor(a1.connection()).discoverInfo(JidCreate.domainBareFrom("localhost"));
    }
}
