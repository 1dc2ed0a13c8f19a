package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.xmpp.packet.JID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly one carbons implementation at a time: Openfire's built-in carbons before the plugin is loaded and
 * after it is unloaded, the plugin while it is loaded, with the enabled state carried across both hand-overs.
 */
class TakeoverIT extends CarbonsTestBase {

    @Test
    void enabledSessionsKeepExactlyOneCopyAcrossLoadAndUnload() throws Exception {
        server.undeployPlugin();
        assertFalse(hasRules0(), "Openfire alone does not advertise the recommended rules");

        a2.enableCarbons(); // answered by Openfire's built-in handler
        assertTrue(builtInFlag("alice@localhost/A2"));
        assertOneCopyOfChatAt("built-in carbons");

        server.deployPlugin(RealServer.pluginJar());
        assertTrue(hasRules0(), "the plugin advertises rules:0");
        assertFalse(builtInFlag("alice@localhost/A2"), "the plugin silenced the built-in carbons for the session");
        assertOneCopyOfChatAt("plugin after takeover");
        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.normal).setBody("normal with body").build());
        flush(b1, a2);
        assertEquals(1, received(a2).size(), "the plugin's rules are in force (Openfire 4.2 copies only chat)");

        a3.enableCarbons(); // answered by the plugin
        server.undeployPlugin();
        assertTrue(builtInFlag("alice@localhost/A2"), "handed back");
        assertTrue(builtInFlag("alice@localhost/A3"), "handed back, though enabled through the plugin");
        assertFalse(hasRules0());
        b1.chat("alice@localhost/A1", "after unload");
        flush(b1, a2, a3);
        assertEquals(1, received(a2).size(), "A2 keeps carbons from Openfire");
        assertEquals(1, received(a3).size(), "A3 keeps carbons from Openfire");
    }

    private void assertOneCopyOfChatAt(String phase) throws Exception {
        b1.chat("alice@localhost/A1", phase);
        a1.chat("bob@localhost/B1", phase + " reply");
        flush(b1, a2);
        flush(a1, a2);
        final java.util.List<Message> in = received(a2);
        final java.util.List<Message> out = sent(a2);
        assertEquals(1, in.size(), phase + ": one received copy");
        assertEquals(1, out.size(), phase + ": one sent copy");
        assertEquals(phase, forwarded(in.get(0)).getBody());
    }

    private boolean builtInFlag(String fullJid) {
        final ClientSession session = server.server().getSessionManager().getSession(new JID(fullJid));
        return session.isMessageCarbonsEnabled();
    }

    private boolean hasRules0() throws Exception {
        return ServiceDiscoveryManager.getInstanceFor(a1.connection())
            .discoverInfo(JidCreate.domainBareFrom("localhost")).containsFeature("urn:xmpp:carbons:rules:0");
    }
}
