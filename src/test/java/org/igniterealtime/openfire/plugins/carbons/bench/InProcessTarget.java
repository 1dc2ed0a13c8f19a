package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-process Openfire 4.2 (one per JVM, sharing it with the Smack clients): CPU is that of the server's
 * threads, profiles are JFR recordings of this JVM.
 */
final class InProcessTarget implements LoadTarget {

    static final int USERS = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EmbeddedOpenfire server;

    InProcessTarget(EmbeddedOpenfire server) {
        this.server = server;
    }

    @Override
    public int users() {
        return USERS;
    }

    @Override
    public String domain() {
        return EmbeddedOpenfire.DOMAIN;
    }

    @Override
    public XmppClient login(String username, String resource) throws Exception {
        server.ensureUser(username, "secret");
        return XmppClient.login(server.clientPort(), username, "secret", resource);
    }

    @Override
    public boolean isPluginLoaded() {
        return server.isPluginLoaded();
    }

    @Override
    public void deployPlugin(Path jar) throws Exception {
        server.deployPlugin(jar);
    }

    @Override
    public void undeployPlugin() throws Exception {
        server.undeployPlugin();
    }

    @Override
    public CpuMark cpuMark() {
        final Map<Long, Long> before = serverThreadCpu();
        return () -> {
            // threads started since the mark count from zero
            long total = 0;
            for (Map.Entry<Long, Long> now : serverThreadCpu().entrySet()) {
                total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
            }
            return total;
        };
    }

    @Override
    public Profile profile(Path file) {
        final Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (Exception e) {
            throw new IllegalStateException("JFR's profile configuration", e);
        }
        // Five times the profile's rate: a pass lasts only seconds.
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
        try {
            recording.setDestination(file);
        } catch (java.io.IOException e) {
            recording.close();
            throw new IllegalStateException(e);
        }
        recording.start();
        return () -> {
            recording.stop(); // written now, before the next configuration runs
            recording.close();
        };
    }

    /** CPU time so far of each of Openfire's threads: every live thread but the clients' and the senders'. */
    private static Map<Long, Long> serverThreadCpu() {
        final Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && isServerThread(thread.getThreadName())) {
                final long time = THREADS.getThreadCpuTime(thread.getThreadId());
                if (time >= 0) {
                    cpu.put(thread.getThreadId(), time);
                }
            }
        }
        return cpu;
    }

    /**
     * Smack's threads ("Smack Reader (n)", "Smack Writer (n)", its executors) and the senders are the clients; the
     * rest is the server (Openfire 4.2's "client-n" I/O threads route, intercept and deliver) and the JVM's own
     * Java threads, which are idle here. GC and JIT threads are not Java threads and are not counted.
     */
    static boolean isServerThread(String name) {
        return !name.startsWith("Smack") && !name.startsWith(LoadBenchmark.SENDER_THREAD) && !name.equals("main");
    }
}
