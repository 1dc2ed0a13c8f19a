package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;

import java.io.File;

/**
 * Stands in for Openfire's "admin" plugin in the in-process server. Openfire 4.2.0's PluginManager expects a plugin
 * named admin (without one it loads the first plugin it finds twice); the real one, AdminConsolePlugin, starts
 * Openfire 4.2's Jetty 9, which is not on the class path. The plugin pages are served by {@link AdminConsole}.
 */
public final class AdminConsolePlaceholder implements Plugin {

    @Override
    public void initializePlugin(PluginManager manager, File pluginDirectory) {
        // Nothing to start: AdminConsole serves the pages when a test or the sandbox asks for them.
    }

    @Override
    public void destroyPlugin() {
        // Nothing was started.
    }
}
