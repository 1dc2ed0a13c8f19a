package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jxmpp.jid.impl.JidCreate;

import java.util.ArrayList;
import java.util.List;


/**
 * Real XMPP against the in-process Openfire with the plugin jar deployed: alice online with three resources,
 * bob with two. Nothing here is mocked.
 */
abstract class CarbonsTestBase {

    static final String CARBONS = "urn:xmpp:carbons:2";
    static final String FLUSH_PREFIX = "flush-";

    EmbeddedOpenfire server;
    XmppClient a1;
    XmppClient a2;
    XmppClient a3;
    XmppClient b1;
    XmppClient b2;
    private final List<XmppClient> clients = new ArrayList<>();

    @BeforeEach
    void connect() throws Exception {
        server = RealServer.get();
        a1 = login("alice", "A1");
        a2 = login("alice", "A2");
        a3 = login("alice", "A3");
        b1 = login("bob", "B1");
        b2 = login("bob", "B2");
        for (XmppClient client : clients) {
            client.available(0);
        }
    }

    @AfterEach
    void disconnect() throws Exception {
        if (!server.isPluginLoaded()) {
            server.deployPlugin(RealServer.pluginJar()); // a test that unloads it leaves it loaded for the next
        }
        clients.forEach(XmppClient::close);
        clients.clear();
        for (String property : List.of("plugin.carbons.enabled", "plugin.carbons.rules0", "plugin.carbons.copyImPayloads",
            "plugin.carbons.honourNoCopy", "plugin.carbons.errorReplies", "plugin.carbons.mucPrivateSameNickOnly",
            "plugin.carbons.forgedCarbons", "plugin.carbons.allowedGroups", "route.all-resources")) {
            if (JiveGlobals.getProperty(property) != null) {
                JiveGlobals.deleteProperty(property);
            }
        }
    }

    XmppClient login(String user, String resource) throws Exception {
        final XmppClient client = RealServer.login(user, resource);
        clients.add(client);
        return client;
    }

    /**
     * Makes sure everything the sender sent before has been routed and has reached the observers. Openfire
     * handles a connection's stanzas in order and routes a message (carbons included) before it answers the
     * next stanza, so a ping answered to the sender means its messages were written to the observers; a ping
     * answered to an observer then arrives after them.
     */
    static void flush(XmppClient sender, XmppClient... observers) throws Exception {
        sender.sync();
        for (XmppClient observer : observers) {
            observer.sync();
        }
    }

    static ExtensionElement element(String name, String namespace) {
        return StandardExtensionElement.builder(name, namespace).build();
    }

    static List<Message> carbons(XmppClient client, CarbonExtension.Direction direction) {
        return client.drain(m -> {
            final CarbonExtension carbon = CarbonExtension.from(m);
            return carbon != null && carbon.getDirection() == direction;
        });
    }

    static List<Message> received(XmppClient client) {
        return carbons(client, CarbonExtension.Direction.received);
    }

    static List<Message> sent(XmppClient client) {
        return carbons(client, CarbonExtension.Direction.sent);
    }

    /** Messages that are neither carbons nor flush markers. */
    static List<Message> originals(XmppClient client) {
        return client.drain(m -> CarbonExtension.from(m) == null && (m.getBody() == null || !m.getBody().startsWith(FLUSH_PREFIX)));
    }

    /**
     * A counter of the running plugin, read the way an admin page would. The plugin's classes live in its own
     * class loader, so the test reaches them by name.
     */
    long incidents(String incident) throws Exception {
        final Object plugin = server.pluginManager().getPlugin(org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire.PLUGIN_NAME);
        final Object service = plugin.getClass().getMethod("service").invoke(plugin);
        final Object statistics = service.getClass().getMethod("statistics").invoke(service);
        final java.util.Map<?, ?> counts = (java.util.Map<?, ?>) statistics.getClass().getMethod("incidents").invoke(statistics);
        for (java.util.Map.Entry<?, ?> entry : counts.entrySet()) {
            if (entry.getKey().toString().equals(incident)) {
                return (Long) entry.getValue();
            }
        }
        throw new IllegalArgumentException(incident);
    }

    static Message forwarded(Message carbon) {
        return (Message) CarbonExtension.from(carbon).getForwarded().getForwardedStanza();
    }

    static org.jivesoftware.smack.packet.MessageBuilder message(XmppClient from, String to) throws Exception {
        return from.connection().getStanzaFactory().buildMessageStanza().to(JidCreate.from(to));
    }
}
