package org.igniterealtime.openfire.plugins.carbons.testserver;

import java.nio.file.Path;

/**
 * The one in-process Openfire of the test JVM, started on first use with the built plugin deployed and the
 * demo accounts created.
 */
public final class RealServer {

    public static final String PASSWORD = "secret";

    private RealServer() {
    }

    public static synchronized EmbeddedOpenfire get() throws Exception {
        final EmbeddedOpenfire server = EmbeddedOpenfire.start(Path.of(System.getProperty("openfire.test.home", "target/openfire-it")), 0);
        if (!server.isPluginLoaded()) {
            server.deployPlugin(pluginJar());
        }
        for (String user : new String[]{"alice", "bob", "carol", "dave"}) {
            server.ensureUser(user, PASSWORD);
        }
        return server;
    }

    public static Path pluginJar() {
        return Path.of(System.getProperty("carbons.plugin.jar", "target/carbons.jar"));
    }

    public static XmppClient login(String user, String resource) throws Exception {
        return XmppClient.login(get().clientPort(), user, PASSWORD, resource);
    }
}
