package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * A sandbox Openfire with the plugin, for trying it with a desktop XMPP client before installing it:
 * accounts alice/alice and bob/bob on the domain localhost, client port 5222 (STARTTLS offered with a
 * self-signed certificate), and the plugin's admin pages on http://127.0.0.1:9090/ showing the sandbox's live
 * sessions. Runs until interrupted.
 */
public final class Sandbox {

    private static final Logger Log = LoggerFactory.getLogger(Sandbox.class);

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        final Path jar = Path.of(args.length > 0 ? args[0] : "target/carbons.jar");
        final int port = Integer.getInteger("sandbox.port", 5222);
        final int adminPort = Integer.getInteger("sandbox.adminPort", 9090);
        final EmbeddedOpenfire server = EmbeddedOpenfire.start(Path.of("target/sandbox"), port, true);
        server.deployPlugin(jar);
        server.ensureUser("alice", "alice");
        server.ensureUser("bob", "bob");
        final AdminConsole console = AdminConsole.start(server, adminPort);
        final String banner = """

            Sandbox Openfire with the Message Carbons plugin is running.
              XMPP domain:  localhost, client port %d (STARTTLS with a self-signed certificate)
              Accounts:     alice / alice   and   bob / bob
              Admin pages:  %s  (status)
                            %s  (settings)
              Log:          target/openfire-it.log
            Log in as alice from two clients, enable carbons in both, chat with bob, and watch the status page.
            Ctrl-C stops it.
            """.formatted(port, console.url("carbons-status.jsp"), console.url("carbons-settings.jsp"));
        Log.info(banner); // log4j.xml sends this logger to the console too
        Thread.currentThread().join();
    }
}
