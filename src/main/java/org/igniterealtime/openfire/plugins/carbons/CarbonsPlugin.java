package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.console.CarbonsAdmin;

import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;

/**
 * Openfire's entry point. Everything the plugin registers is registered by {@link CarbonsService#start()} and
 * unregistered, in reverse order, by {@link CarbonsService#stop()}.
 */
public class CarbonsPlugin implements Plugin {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsPlugin.class);
    /** The name the jar must have: the admin console's entries, the i18n bundle and the page links use it. */
    static final String CANONICAL_NAME = "carbons";

    private CarbonsService service;

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        // Openfire names a plugin after its directory, which it names after the uploaded jar (carbons.jar).
        final String name = pluginDirectory.getName();
        if (!CANONICAL_NAME.equals(name)) {
            Log.warn("The Message Carbons plugin was uploaded as {}.jar: Openfire looks for its texts under that name, so its "
                + "admin pages show raw keys. Delete it on the Plugins page and upload the file named {}.jar.", name, CANONICAL_NAME);
        }
        service = new CarbonsService(XMPPServer.getInstance(), name);
        service.start();
    }

    @Override
    public void destroyPlugin() {
        if (service != null) {
            service.stop();
            service = null;
        }
    }

    /** The running service; null while the plugin is not loaded. */
    public CarbonsService service() {
        return service;
    }

    /** What the admin pages show and change, or null when the plugin is not running (the pages then say so). */
    public static CarbonsAdmin adminPages() {
        final XMPPServer server = XMPPServer.getInstance();
        if (server == null || server.getPluginManager() == null) {
            return null;
        }
        // getPlugins() links on 4.2 and 5.x alike (getPlugin(String) is gone from 5.x). The pages are loaded by this
        // plugin's class loader, so the instance found is of this very class.
        for (Plugin plugin : server.getPluginManager().getPlugins()) {
            if (plugin instanceof CarbonsPlugin carbons && carbons.service() != null) {
                return carbons.service().admin();
            }
        }
        return null;
    }
}
