package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;

import java.nio.file.Path;

/**
 * The server the load benchmark drives: the in-process Openfire 4.2 ({@link InProcessTarget}) or a running
 * Openfire reached over the loopback ({@link ExternalOpenfire}, -Dbench.server).
 */
interface LoadTarget {

    /** How many users take part (bench0 .. bench(n-1), password "secret"); each logs in three resources. */
    int users();

    /** The XMPP domain of the users' addresses. */
    String domain();

    /** Logs one resource in, without presence; the user exists afterwards. */
    XmppClient login(String username, String resource) throws Exception;

    boolean isPluginLoaded() throws Exception;

    /** Loads this build of the plugin and returns once it runs. */
    void deployPlugin(Path jar) throws Exception;

    /** Unloads the plugin and returns once Openfire's built-in carbons are back. */
    void undeployPlugin() throws Exception;

    /** A point to measure the server's CPU time from. */
    CpuMark cpuMark() throws Exception;

    /** Starts a CPU profile (JFR) of the server, written to the file when closed. */
    Profile profile(Path file) throws Exception;

    interface CpuMark {
        /** CPU nanoseconds the server used since the mark. */
        long cpuNanosSince() throws Exception;

        /**
         * Part of it by kind of thread where the target can tell (external: "jit", "gc"), in nanoseconds; call after
         * {@link #cpuNanosSince}.
         */
        default java.util.Map<String, Long> breakdown() {
            return java.util.Map.of();
        }
    }

    interface Profile extends AutoCloseable {
        @Override
        void close() throws Exception;
    }
}
