package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsService;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;

import java.io.File;

/**
 * Openfire's entry point. Everything the plugin registers is registered by {@link CarbonsService#start()} and
 * unregistered, in reverse order, by {@link CarbonsService#stop()}.
 */
public class CarbonsPlugin implements Plugin {

    private CarbonsService service;

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        service = new CarbonsService(XMPPServer.getInstance());
        service.start();
    }

    @Override
    public void destroyPlugin() {
        if (service != null) {
            service.stop();
            service = null;
        }
    }

    /** The running service, for the admin pages; null while the plugin is not loaded. */
    public CarbonsService service() {
        return service;
    }
}
