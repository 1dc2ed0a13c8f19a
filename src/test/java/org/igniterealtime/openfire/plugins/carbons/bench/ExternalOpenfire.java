package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A running Openfire (5.x, built and started by hand) that the load benchmark drives from outside, as the issue
 * measures it: clients over STARTTLS on the loopback, the server's CPU read from /proc/&lt;pid&gt;/stat (user plus
 * system time of the whole Openfire JVM: routing, TLS, GC, JIT), the plugin loaded and unloaded through the plugins
 * directory that Openfire's PluginMonitor watches, profiles by {@code jcmd <pid> JFR.start / JFR.stop}.
 * <p>
 * The users bench0 .. bench(n-1) (password "secret") must exist on the server. The server's certificate is trusted
 * whatever it is: this mode only ever talks to a server on the loopback that the person running it started.
 */
final class ExternalOpenfire implements LoadTarget {

    private static final Logger Log = LoggerFactory.getLogger(ExternalOpenfire.class);
    /** The name Openfire gives the plugin is the jar's (PluginManager: the file name without .jar). */
    private static final String PLUGIN_FILE = "carbons.jar";
    private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(120);
    /** Clock ticks of utime/stime in /proc/pid/stat: USER_HZ, 100 on Linux (sysconf(_SC_CLK_TCK)). */
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / Long.getLong("bench.clockTicks", 100);

    private final String host;
    private final int port;
    private final String domain;
    private final long pid;
    private final Path pluginsDirectory;
    private final int users;
    /** A resource of bench0 that never sends presence nor enables carbons: it asks the server's disco#info. */
    private XmppClient probe;

    ExternalOpenfire(String server, long pid, Path pluginsDirectory, int users, String domain) {
        final int colon = server.lastIndexOf(':');
        this.host = colon < 0 ? server : server.substring(0, colon);
        this.port = colon < 0 ? 5222 : Integer.parseInt(server.substring(colon + 1));
        this.pid = pid;
        this.pluginsDirectory = pluginsDirectory;
        this.users = users;
        this.domain = domain;
        if (!Files.isDirectory(pluginsDirectory)) {
            throw new IllegalArgumentException("bench.pluginsDir is not a directory: " + pluginsDirectory);
        }
        if (!Files.exists(stat())) {
            throw new IllegalArgumentException("bench.serverPid: no process " + pid);
        }
    }

    /**
     * From -Dbench.server=host:port, -Dbench.serverPid, -Dbench.pluginsDir, -Dbench.users, -Dbench.domain; with
     * comma-separated lists in the first three, one entry per node, an {@link ExternalCluster}.
     */
    static LoadTarget fromSystemProperties() {
        final String[] servers = required("bench.server").split(",");
        final String[] pids = required("bench.serverPid").split(",");
        final String[] pluginDirectories = required("bench.pluginsDir").split(",");
        if (pids.length != servers.length || pluginDirectories.length != servers.length) {
            throw new IllegalArgumentException("bench.server, bench.serverPid and bench.pluginsDir need one entry per node");
        }
        final List<ExternalOpenfire> nodes = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            nodes.add(new ExternalOpenfire(servers[i].trim(), Long.parseLong(pids[i].trim()),
                Path.of(pluginDirectories[i].trim()), Integer.getInteger("bench.users", 50),
                System.getProperty("bench.domain", "bench.local")));
        }
        return nodes.size() == 1 ? nodes.get(0) : new ExternalCluster(nodes);
    }

    private static String required(String property) {
        final String value = System.getProperty(property, "");
        if (value.isBlank()) {
            throw new IllegalArgumentException("-D" + property + " is needed with -Dbench.server");
        }
        return value;
    }

    @Override
    public int users() {
        return users;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public XmppClient login(String username, String resource) throws Exception {
        return loginOverStartTls(host, port, domain, username, "secret", resource);
    }

    /**
     * A client of a running Openfire on the loopback over STARTTLS, as real clients connect, trusting the server's
     * certificate whatever it is (this mode and the hand checks only talk to servers the person running them started).
     *
     * @param server host:port
     */
    static XmppClient loginOverStartTls(String server, String domain, String username, String password, String resource) throws Exception {
        final int colon = server.lastIndexOf(':');
        return loginOverStartTls(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)), domain, username, password, resource);
    }

    static XmppClient loginOverStartTls(String host, int port, String domain, String username, String password, String resource) throws Exception {
        return XmppClient.login(XMPPTCPConnectionConfiguration.builder()
            .setXmppDomain(domain)
            .setHostAddress(InetAddress.getByName(host))
            .setPort(port)
            .setSecurityMode(SecurityMode.required)
            .setCustomX509TrustManager(new TrustAnything())
            .setHostnameVerifier((hostname, session) -> true)
            .setUsernameAndPassword(username, password)
            .setResource(resource)
            .setSendPresence(false)
            .setConnectTimeout(30_000)
            .build());
    }

    @Override
    public boolean isPluginLoaded() throws Exception {
        return advertisesPlugin();
    }

    @Override
    public void deployPlugin(Path jar) throws Exception {
        placeJar(jar);
        waitFor(() -> advertisesPlugin(), "the plugin to load (its disco#info feature " + Namespaces.CARBONS_RULES + ")");
    }

    @Override
    public void undeployPlugin() throws Exception {
        removeJar();
        // PluginMonitor unloads a plugin whose jar is gone and then deletes its directory.
        waitFor(() -> !advertisesPlugin() && !Files.exists(pluginsDirectory.resolve("carbons")),
            "the plugin to unload");
    }

    /** Puts the jar where PluginMonitor finds it: copied under another name and moved in, never half a jar. */
    void placeJar(Path jar) throws IOException {
        final Path partial = pluginsDirectory.resolve(PLUGIN_FILE + ".part");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, pluginsDirectory.resolve(PLUGIN_FILE), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
    }

    void removeJar() throws IOException {
        Files.deleteIfExists(pluginsDirectory.resolve(PLUGIN_FILE));
    }

    /** Whether the plugin's jar or its unpacked directory is in this server's plugins directory. */
    boolean hasPluginFiles() {
        return Files.exists(pluginsDirectory.resolve(PLUGIN_FILE)) || Files.exists(pluginsDirectory.resolve("carbons"));
    }

    /**
     * How many lines of this server's openfire.log (beside its plugins directory, as Openfire lays its home out)
     * contain the text: PluginManager logs "Successfully loaded plugin 'carbons" and "Successfully unloaded plugin
     * 'carbons'" on every node, where disco#info cannot tell the nodes apart (in a cluster, Openfire's
     * IQDiscoInfoHandler answers the server features of all nodes together).
     */
    long logLines(String text) throws IOException {
        final Path log = pluginsDirectory.getParent().resolve("logs").resolve("openfire.log");
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    /** The plugin advertises urn:xmpp:carbons:rules:0 (on by default); Openfire's built-in carbons do not. */
    private boolean advertisesPlugin() {
        try {
            if (probe == null) {
                // one probe per node: the same full JID on two nodes of a cluster would push the first one out (conflict)
                probe = login("bench0", "probe-" + host + "-" + port);
            }
            return ServiceDiscoveryManager.getInstanceFor(probe.connection())
                .discoverInfo(JidCreate.domainBareFrom(domain), null) // asked anew: discoverInfo(jid) answers from the caps cache
                .containsFeature(Namespaces.CARBONS_RULES);
        } catch (Exception e) {
            throw new IllegalStateException("disco#info of " + domain, e);
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + PLUGIN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    @Override
    public CpuMark cpuMark() throws IOException {
        final Map<Long, long[]> threadsBefore = threadTicks();
        final long before = cpuNanos();
        final long kernelBefore = kernelNanos();
        return new CpuMark() {
            private Map<String, Long> breakdown = Map.of();

            @Override
            public long cpuNanosSince() throws IOException {
                final long total = cpuNanos() - before;
                final Map<String, Long> kinds = new TreeMap<>();
                for (Map.Entry<Long, long[]> thread : threadTicks().entrySet()) {
                    final long[] was = threadsBefore.get(thread.getKey());
                    final long ticks = thread.getValue()[1] - (was == null ? 0 : was[1]);
                    kinds.merge(KINDS[(int) thread.getValue()[0]], ticks * NANOS_PER_TICK, Long::sum);
                }
                kinds.remove("java");
                // Time in the kernel on the process's behalf, whatever the thread: socket reads and writes, wake-ups.
                kinds.put("kernel", kernelNanos() - kernelBefore);
                breakdown = kinds;
                return total;
            }

            @Override
            public Map<String, Long> breakdown() {
                return breakdown;
            }
        };
    }

    private static final String[] KINDS = {"java", "jit", "gc"};

    /**
     * Per thread of the process: its kind (index in {@link #KINDS}, by the name in /proc/pid/task/tid/stat, which
     * Linux cuts to 15 characters) and its utime+stime ticks. JIT and GC threads are HotSpot's own; a thread that
     * ended between two readings loses its time here (the total from /proc/pid/stat keeps it).
     */
    private Map<Long, long[]> threadTicks() throws IOException {
        final Map<Long, long[]> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                final String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue;
                }
                final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                final int kind = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? 1
                    : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 2 : 0;
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                threads.put(Long.parseLong(task.getFileName().toString()),
                    new long[]{kind, Long.parseLong(fields[11]) + Long.parseLong(fields[12])});
            }
        }
        return threads;
    }

    /** utime + stime of the whole process (fields 14 and 15 of /proc/pid/stat, counted after the command's ")"). */
    private long cpuNanos() throws IOException {
        final String stat = Files.readString(stat(), StandardCharsets.US_ASCII);
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** stime of the whole process (field 15 of /proc/pid/stat). */
    private long kernelNanos() throws IOException {
        final String stat = Files.readString(stat(), StandardCharsets.US_ASCII);
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[12]) * NANOS_PER_TICK;
    }

    private Path stat() {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    /**
     * A JFR recording in the server of execution samples every 2 ms (five times JFR's "profile" rate: a pass lasts
     * seconds), monitor waits over 1 ms with stacks, and the JIT's compilations and deoptimisations (the whole JVM's
     * CPU counts the JIT); nothing else, to disturb the measurement little.
     */
    @Override
    public Profile profile(Path file) throws Exception {
        final Path settings = file.resolveSibling("bench-sampling.jfc");
        if (!Files.exists(settings)) {
            Files.writeString(settings, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="bench" description="load benchmark passes" provider="bench">
                  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
                  <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">1 ms</setting></event>
                  <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">5 ms</setting></event>
                  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
                  <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
                </configuration>
                """, StandardCharsets.UTF_8);
        }
        final String name = "bench-" + file.getFileName().toString().replace(".jfr", "");
        jcmd("JFR.start", "name=" + name, "settings=" + settings.toAbsolutePath());
        return () -> jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private void jcmd(String... command) throws IOException, InterruptedException {
        final List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        final Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || output.contains("Could not") || output.contains("Exception")) {
            throw new IllegalStateException(String.join(" ", line) + ": " + output);
        }
        Log.debug("{}: {}", line, output.strip());
    }

    /** Accepts the server's certificate, whatever it is: the self-signed one Openfire generates at setup. */
    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
