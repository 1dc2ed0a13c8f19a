package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerBootIT {

    @Test
    void bootsAndLoadsPlugin() throws Exception {
        EmbeddedOpenfire server = EmbeddedOpenfire.start(Path.of(System.getProperty("openfire.test.home")), 0);
        server.deployPlugin(Path.of(System.getProperty("carbons.plugin.jar")));
        server.ensureUser("alice", "secret");
        try (XmppClient a = XmppClient.login(server.clientPort(), "alice", "secret", "A1")) {
            a.enableCarbons();
        }
        assertTrue(server.isPluginLoaded());
    }
}
