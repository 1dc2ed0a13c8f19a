package org.jivesoftware.openfire.http;

/**
 * Test class path stand-in for Openfire 4.2.0's HttpBindManager (BOSH and websockets), which builds Jetty 9 handlers in
 * its constructor. The in-process server and the sandbox run without Openfire 4.2's Jetty 9 (the admin pages run on
 * Jetty 12, as in Openfire 5.x; see testserver.AdminConsole) and with httpbind.enabled=false, so the real class cannot
 * even be loaded: ConnectionManagerImpl.startListeners() ends with HttpBindManager.getInstance().start() and a
 * NoClassDefFoundError after every XMPP listener has started, which PluginMonitor logs as an error. This class, first on
 * the test class path, is the manager of a server whose HTTP binding is switched off: it opens nothing. It has exactly
 * the methods Openfire 4.2.0's core calls outside its http package (ConnectionManagerImpl, commands.admin.HttpBindStatus).
 */
public final class HttpBindManager {

    private static final HttpBindManager INSTANCE = new HttpBindManager();

    private HttpBindManager() {
    }

    public static HttpBindManager getInstance() {
        return INSTANCE;
    }

    public void start() {
        // HTTP binding is off: no port is opened.
    }

    public void stop() {
        // Nothing was started.
    }

    public boolean isHttpBindEnabled() {
        return false;
    }

    public String getHttpBindUnsecureAddress() {
        return null;
    }

    public String getHttpBindSecureAddress() {
        return null;
    }

    public String getJavaScriptUrl() {
        return null;
    }
}
