package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end load through an Openfire ({@link LoadTarget}: the in-process 4.2, or with -Dbench.server a running
 * Openfire such as a hand-built 5.1.1): its users with three resources each (Smack connections in this process),
 * every resource carbons-enabled where carbons apply. Resource r0 of each user writes to r0 of
 * the next user, so each message makes one original and four carbons (two sent, two received).
 * <p>
 * Configurations, in one run on the same connections:
 * <ul>
 *   <li>{@code plugin-idle}: the plugin loaded, nobody enabled carbons: one delivery per message;</li>
 *   <li>{@code no-carbons}: plugin not loaded, carbons off: one delivery per message;</li>
 *   <li>{@code same-deliveries}: carbons off, the sender addresses all five resources itself: the deliveries
 *       carbons make, without carbons;</li>
 *   <li>{@code built-in}: Openfire's built-in carbons;</li>
 *   <li>{@code plugin}: this plugin;</li>
 *   <li>{@code plugin-baseline}: another build of the plugin (bench.baseline), to compare two builds in one run.</li>
 * </ul>
 * Each is measured at saturation (a closed loop, {@link #WINDOW} messages in flight per sender; medians of the passes, the carbons
 * configurations taking turns pass by pass) and at a fixed offered rate. Besides throughput and latency, each pass
 * reports the server's CPU time per message sent (in process: its threads' by ThreadMXBean, the clients sharing the
 * JVM; external: the whole Openfire process's), which the shared machine disturbs far less than throughput.
 */
public final class LoadBenchmark {

    private static final Logger Log = LoggerFactory.getLogger(LoadBenchmark.class);

    static final int SATURATION_MESSAGES = 15_000;
    /** Saturation passes per configuration; the median by throughput is reported (a single burst is noisy). */
    static final int SATURATION_PASSES = Integer.getInteger("bench.passes", 3);
    static final int WARM_UP_MESSAGES = 6_000;
    /**
     * Saturation is a closed loop: each sender keeps this many messages in flight, sending the next when the
     * recipient got an earlier one. An open burst would pile unread bytes up in the server's connections, and
     * Openfire 4.2's parser rescans its whole buffer on every read (XMLLightweightParser.hasIllegalCharacterReferences),
     * which then dominates and varies with the backlog rather than with the work per message.
     */
    static final int WINDOW = 10;
    static final int RATE_PER_SECOND = 300;
    static final int RATE_SECONDS = 5;

    static final String SENDER_THREAD = "bench-sender-";
    /** Each carbons configuration loaded once for all its passes (see the carbons passes in run()). */
    static final boolean STEADY_STATE = Boolean.getBoolean("bench.steadyState");
    /** With {@link #STEADY_STATE}: how many times the configurations take turns, each time loaded once for its passes. */
    static final int STEADY_BLOCKS = Integer.getInteger("bench.blocks", 1);
    /** -Dbench.carbonsOnly=true: the carbons configurations alone (on a cluster, the others take longest). */
    static final boolean CARBONS_ONLY = Boolean.getBoolean("bench.carbonsOnly");

    private final LoadTarget server;
    private final int users;
    private final Path pluginJar;
    /** Another build of the plugin measured beside this one (bench.baseline), or null. */
    private final Path baselineJar;
    /** Where each saturation pass leaves a JFR recording (bench.jfr), or null for none. */
    private final Path jfrDirectory;
    /** The plugin jar loaded now, null for none. */
    private Path loaded;
    /** Resources logged in per user; with carbons enabled on {@link #enabled} of them. */
    private final int resources;
    private final List<XmppClient[]> clients = new ArrayList<>();
    /** Per user, per resource: carbons enabled. */
    private boolean[][] carbonsEnabled;
    /** Resources per user with carbons enabled (r0 .. r(enabled-1)): a message makes 2 (enabled - 1) carbons. */
    private int enabled;
    private volatile Recorder recorder;

    LoadBenchmark(LoadTarget server, Path pluginJar, Path baselineJar, Path jfrDirectory) {
        this(server, pluginJar, baselineJar, jfrDirectory, 3);
    }

    LoadBenchmark(LoadTarget server, Path pluginJar, Path baselineJar, Path jfrDirectory, int resources) {
        this.resources = resources;
        this.server = server;
        this.users = server.users();
        this.pluginJar = pluginJar;
        this.baselineJar = baselineJar;
        this.jfrDirectory = jfrDirectory;
    }

    /** Latencies of one measurement, in nanoseconds, by kind. */
    static final class Recorder {
        final AtomicLongArray originals;
        final AtomicLongArray carbons;
        final AtomicInteger originalCount = new AtomicInteger();
        final AtomicInteger carbonCount = new AtomicInteger();
        /**
         * The received carbons' latencies alone: Openfire's built-in carbons deliver them before the original
         * (RoutingTableImpl.ccMessage, 5.1.1), the sent ones after it (MessageRouter.route).
         */
        final AtomicLongArray received;
        final AtomicInteger receivedCount = new AtomicInteger();
        final CountDownLatch done;
        /** Per sender, the messages it may still have in flight (closed loop). */
        final Semaphore[] windows;

        Recorder(int users, int expectedOriginals, int expectedCarbons) {
            windows = new Semaphore[users];
            for (int u = 0; u < users; u++) {
                windows[u] = new Semaphore(WINDOW);
            }
            originals = new AtomicLongArray(expectedOriginals);
            carbons = new AtomicLongArray(Math.max(1, expectedCarbons));
            received = new AtomicLongArray(Math.max(1, expectedCarbons / 2));
            done = new CountDownLatch(expectedOriginals + expectedCarbons);
        }

        void record(Message message, long now) {
            final CarbonExtension carbon = CarbonExtension.from(message);
            final Message original = carbon == null ? message : (Message) carbon.getForwarded().getForwardedStanza();
            final String body = original.getBody();
            if (body == null || !body.startsWith("t")) {
                return;
            }
            // "t<sent nanos>", and ":<sender>" on the one original per message that ends its flight
            final int colon = body.indexOf(':');
            final long latency = now - Long.parseLong(body.substring(1, colon < 0 ? body.length() : colon));
            if (carbon == null && colon > 0) {
                windows[Integer.parseInt(body.substring(colon + 1))].release();
            }
            if (carbon == null) {
                final int i = originalCount.getAndIncrement();
                if (i < originals.length()) {
                    originals.set(i, latency);
                }
            } else {
                final int i = carbonCount.getAndIncrement();
                if (i < carbons.length()) {
                    carbons.set(i, latency);
                }
                if (carbon.getDirection() == CarbonExtension.Direction.received) {
                    final int r = receivedCount.getAndIncrement();
                    if (r < received.length()) {
                        received.set(r, latency);
                    }
                }
            }
            done.countDown();
        }
    }

    /** Logs every user's resources in, available, carbons not enabled. */
    private void connect() throws Exception {
        carbonsEnabled = new boolean[users][resources];
        for (int u = 0; u < users; u++) {
            final XmppClient[] sessions = new XmppClient[resources];
            for (int r = 0; r < resources; r++) {
                sessions[r] = server.login("bench" + u, "r" + r);
                sessions[r].available(0);
                final XmppClient client = sessions[r];
                client.connection().addSyncStanzaListener(stanza -> {
                    final Recorder current = recorder;
                    if (current != null) {
                        current.record((Message) stanza, System.nanoTime());
                    }
                }, stanza -> stanza instanceof Message);
            }
            clients.add(sessions);
        }
    }

    /**
     * Carbons enabled on r0 .. r(count-1) of every user and disabled on the others, through whichever implementation
     * is loaded (loading or unloading the plugin hands the enabled state over).
     */
    private void enableCarbons(int count) throws Exception {
        for (int u = 0; u < users; u++) {
            for (int r = 0; r < resources; r++) {
                if (r < count && !carbonsEnabled[u][r]) {
                    clients.get(u)[r].enableCarbons();
                } else if (r >= count && carbonsEnabled[u][r]) {
                    clients.get(u)[r].disableCarbons();
                }
                carbonsEnabled[u][r] = r < count;
            }
        }
        enabled = count;
    }

    private void disconnect() {
        for (XmppClient[] sessions : clients) {
            for (XmppClient client : sessions) {
                client.close();
            }
        }
        clients.clear();
    }

    /** Deliveries a message makes when the sender addresses each of the resources carbons would reach itself. */
    private int sameDeliveries() {
        return 1 + 2 * (resources - 1);
    }

    Map<String, Map<String, Object>> run() throws Exception {
        connect();
        final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        if (server.isPluginLoaded()) {
            server.undeployPlugin();
        }
        // The server's routing and delivery settled before the first configuration is measured: with less, whichever
        // configuration came first measured up to three times the CPU per message of the same traffic later.
        pass(WARM_UP_MESSAGES, 0, false, CARBONS_ONLY ? 1 : sameDeliveries());
        if (!CARBONS_ONLY) {
            for (int i = 0; i < SATURATION_PASSES; i++) {
                pass(SATURATION_MESSAGES, 0, false, 1);
            }
            switchTo(pluginJar);
            measure(results, "plugin-idle", false, 1); // loaded, nobody enabled carbons
            switchTo(null);
            measure(results, "no-carbons", false, 1);
            measure(results, "same-deliveries", false, sameDeliveries());
        }
        enableCarbons(resources); // Openfire's handler answers; loading the plugin takes the sessions over
        // The carbons configurations take turns pass by pass, so that whatever else the shared machine does
        // falls on all of them alike.
        final Map<String, Path> carbons = new LinkedHashMap<>();
        carbons.put("built-in", null);
        carbons.put("plugin", pluginJar);
        if (baselineJar != null) {
            carbons.put("plugin-baseline", baselineJar);
        }
        final Map<String, List<Map<String, Object>>> passes = new LinkedHashMap<>();
        carbons.keySet().forEach(name -> passes.put(name, new ArrayList<>()));
        if (STEADY_STATE) {
            // -Dbench.steadyState=true: each configuration loaded once, warmed up once, then all its passes, as a
            // server that loads the plugin once and stays up (alternating pass by pass reloads the plugin every
            // pass, and counts the JIT's compiling it again each time, which a real server pays once).
            // -Dbench.blocks=N: the configurations take turns block by block, so that a drift of the machine or of the
            // server over the run falls on all of them alike.
            for (int block = 0; block < STEADY_BLOCKS; block++) {
                for (Map.Entry<String, Path> configuration : carbons.entrySet()) {
                    switchTo(configuration.getValue());
                    warmUp(true, 1);
                    for (int i = 0; i < SATURATION_PASSES; i++) {
                        passes.get(configuration.getKey()).add(recorded(configuration.getKey() + "-" + block + "-" + i,
                            () -> pass(SATURATION_MESSAGES, 0, true, 1)));
                    }
                    if (block == STEADY_BLOCKS - 1) {
                        results.put(configuration.getKey(), summary(passes.get(configuration.getKey()),
                            pass(RATE_PER_SECOND * RATE_SECONDS, RATE_PER_SECOND, true, 1)));
                    }
                }
            }
        } else {
            for (int i = 0; i < SATURATION_PASSES; i++) {
                for (Map.Entry<String, Path> configuration : carbons.entrySet()) {
                    switchTo(configuration.getValue());
                    warmUp(true, 1);
                    passes.get(configuration.getKey()).add(recorded(configuration.getKey() + "-" + i,
                        () -> pass(SATURATION_MESSAGES, 0, true, 1)));
                }
            }
            for (Map.Entry<String, Path> configuration : carbons.entrySet()) {
                switchTo(configuration.getValue());
                warmUp(true, 1);
                results.put(configuration.getKey(), summary(passes.get(configuration.getKey()),
                    pass(RATE_PER_SECOND * RATE_SECONDS, RATE_PER_SECOND, true, 1)));
            }
        }
        disconnect();
        return results;
    }

    /**
     * Issue 18's curves on a running Openfire: server CPU per original and carbon latency as the server's sessions
     * grow (other sessions held idle, carbons enabled, by {@link IdleSessions}) and as users have more resources with
     * carbons enabled, the plugin against the built-in carbons. For each session count, each configuration is loaded
     * once, warmed up, and measured for every resource count (the steady state); which comes first alternates from
     * one session count to the next, so that a drift over the run falls on both.
     *
     * @param server          host:port of the server's client port, for the idle sessions (plaintext)
     * @param sessionCounts   the server's client sessions to measure at, this benchmark's own included, ascending
     * @param resourceCounts  resources per user with carbons enabled, each at most this benchmark's resources
     */
    List<Map<String, Object>> curve(String server, List<Integer> sessionCounts, List<Integer> resourceCounts,
                                    int messages) throws Exception {
        connect();
        final List<IdleSessions.Held> held = new ArrayList<>();
        final List<Map<String, Object>> rows = new ArrayList<>();
        int sessions = users * resources;
        try {
            if (this.server.isPluginLoaded()) {
                this.server.undeployPlugin(); // left by an earlier run: "built-in" must mean the built-in
            }
            pass(WARM_UP_MESSAGES, 0, false, 1);
            for (int level = 0; level < sessionCounts.size(); level++) {
                final int wanted = sessionCounts.get(level);
                if (wanted > sessions) {
                    final IdleSessions.Held more = IdleSessions.hold(server, this.server.domain(), wanted - sessions);
                    held.add(more);
                    sessions += more.up();
                }
                // the built-in first at even levels, the plugin first at odd ones
                final List<String> order = level % 2 == 0 ? List.of("built-in", "plugin") : List.of("plugin", "built-in");
                for (String configuration : order) {
                    switchTo(configuration.equals("plugin") ? pluginJar : null);
                    enableCarbons(resources);
                    warmUp(true, 1);
                    for (int count : resourceCounts) {
                        enableCarbons(count);
                        pass(messages / 4, 0, true, 1);
                        final List<Map<String, Object>> passes = new ArrayList<>();
                        for (int i = 0; i < SATURATION_PASSES; i++) {
                            passes.add(pass(messages, 0, true, 1));
                        }
                        final Map<String, Object> row = new LinkedHashMap<>();
                        row.put("sessions", sessions);
                        row.put("resources", count);
                        row.put("configuration", configuration);
                        @SuppressWarnings("unchecked")
                        final Map<String, Object> saturation = (Map<String, Object>) summary(passes, Map.of()).get("saturation");
                        row.putAll(saturation);
                        Log.info("{} sessions, {} resources, {}: {} µs per message, carbon p99 {} ms", sessions, count,
                            configuration, row.get("serverCpuUsPerMessage"), row.get("carbonP99Ms"));
                        rows.add(row);
                    }
                }
            }
        } finally {
            for (IdleSessions.Held holder : held) {
                holder.close();
            }
            disconnect();
        }
        return rows;
    }

    /** The curve as a markdown table: per session and resource count, the built-in against the plugin. */
    static String curveTable(List<Map<String, Object>> rows) {
        final StringBuilder table = new StringBuilder("| sessions | resources | built-in CPU µs | plugin CPU µs | plugin / built-in"
            + " | built-in carbon p50 / p99 ms | plugin carbon p50 / p99 ms | msg/s built-in / plugin |\n"
            + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        final Map<String, Map<String, Object>> byCell = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byCell.put(row.get("sessions") + "/" + row.get("resources") + "/" + row.get("configuration"), row);
        }
        for (Map<String, Object> row : rows) {
            if (!"built-in".equals(row.get("configuration"))) {
                continue;
            }
            final Map<String, Object> plugin = byCell.get(row.get("sessions") + "/" + row.get("resources") + "/plugin");
            if (plugin == null) {
                continue;
            }
            table.append(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.1f / %.1f | %.1f / %.1f | %.0f / %.0f |%n",
                row.get("sessions"), row.get("resources"), cpuWithRange(row), cpuWithRange(plugin),
                (Double) plugin.get("serverCpuUsPerMessage") / (Double) row.get("serverCpuUsPerMessage"),
                row.get("carbonP50Ms"), row.get("carbonP99Ms"), plugin.get("carbonP50Ms"), plugin.get("carbonP99Ms"),
                row.get("messagesPerSecond"), plugin.get("messagesPerSecond")));
        }
        return table.toString();
    }

    private static String cpuWithRange(Map<String, Object> row) {
        final List<?> passes = (List<?>) row.get("passesServerCpuUsPerMessage");
        final double min = passes.stream().mapToDouble(v -> (Double) v).min().orElse(0);
        final double max = passes.stream().mapToDouble(v -> (Double) v).max().orElse(0);
        return String.format(java.util.Locale.ROOT, "%.0f (%.0f-%.0f)", (Double) row.get("serverCpuUsPerMessage"), min, max);
    }

    /** Loads this plugin jar in place of whatever is loaded; null: no plugin (Openfire's built-in carbons). */
    private void switchTo(Path jar) throws Exception {
        if (Objects.equals(jar, loaded)) {
            return;
        }
        if (server.isPluginLoaded()) {
            server.undeployPlugin();
        }
        if (jar != null) {
            server.deployPlugin(jar);
        }
        loaded = jar;
    }

    private void measure(Map<String, Map<String, Object>> results, String name, boolean carbons, int addressed) throws Exception {
        warmUp(carbons, addressed);
        final List<Map<String, Object>> passes = new ArrayList<>();
        for (int i = 0; i < SATURATION_PASSES; i++) {
            passes.add(recorded(name + "-" + i, () -> pass(SATURATION_MESSAGES, 0, carbons, addressed)));
        }
        results.put(name, summary(passes, pass(RATE_PER_SECOND * RATE_SECONDS, RATE_PER_SECOND, carbons, addressed)));
    }

    /**
     * The saturation figures as medians of the passes (each figure on its own), the passes' values of the two that
     * matter most kept for the spread, and the fixed-rate pass.
     */
    private static Map<String, Object> summary(List<Map<String, Object>> passes, Map<String, Object> paced) {
        final Map<String, Object> saturation = new LinkedHashMap<>();
        for (String key : passes.get(0).keySet()) {
            if (passes.get(0).get(key) instanceof Double) {
                saturation.put(key, median(passes.stream().map(p -> (Double) p.get(key)).toList()));
            } else {
                saturation.put(key, passes.get(passes.size() / 2).get(key));
            }
        }
        saturation.put("passesMessagesPerSecond", passes.stream().map(p -> p.get("messagesPerSecond")).toList());
        saturation.put("passesServerCpuUsPerMessage", passes.stream().map(p -> p.get("serverCpuUsPerMessage")).toList());
        saturation.put("passesCarbonP99Ms", passes.stream().map(p -> p.get("carbonP99Ms")).toList());
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("saturation", saturation);
        result.put("fixedRate", paced);
        return result;
    }

    private static double median(List<Double> values) {
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    interface Pass {
        Map<String, Object> run() throws Exception;
    }

    /**
     * Runs the pass inside a JFR recording written to the bench.jfr directory, when one is given, and notes the
     * messages it sent in passes.tsv there, for {@link JfrSummary} to count per message.
     */
    private Map<String, Object> recorded(String name, Pass pass) throws Exception {
        if (jfrDirectory == null) {
            return pass.run();
        }
        Files.createDirectories(jfrDirectory);
        final Map<String, Object> result;
        try (LoadTarget.Profile ignored = server.profile(jfrDirectory.resolve(name + ".jfr"))) {
            result = pass.run();
        }
        Files.writeString(jfrDirectory.resolve(JfrSummary.PASSES), name + "\t" + result.get("messages") + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return result;
    }

    /**
     * After each switch of configuration: a freshly loaded plugin's classes are compiled anew, and Openfire's own
     * routing code around the interceptors is recompiled when the plugin comes or goes. -Dbench.switchWarmUp=N
     * messages (the external mode counts the JIT's CPU, which the in-process mode leaves out).
     */
    private void warmUp(boolean carbons, int addressed) throws Exception {
        pass(Integer.getInteger("bench.switchWarmUp", WARM_UP_MESSAGES / 2), 0, carbons, addressed);
    }

    /**
     * Sends the messages (closed loop with rate 0, see {@link #WINDOW}; else paced to the rate) and waits for every
     * delivery.
     */
    private Map<String, Object> pass(int messages, int rate, boolean carbons, int addressed) throws Exception {
        final int perMessage = carbons ? 2 * (enabled - 1) : 0;
        final Recorder current = new Recorder(users, messages * addressed, messages * perMessage);
        recorder = current;
        final int perUser = messages / users;
        final String domain = server.domain();
        final LoadTarget.CpuMark cpu = server.cpuMark();
        final long start = System.nanoTime();
        final List<Thread> senders = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            final int sender = u;
            final Thread thread = new Thread(() -> {
                try {
                    final XmppClient from = clients.get(sender)[0];
                    final int to = (sender + 1) % users;
                    final List<Jid> targets = new ArrayList<>();
                    targets.add(JidCreate.from("bench" + to + "@" + domain + "/r0"));
                    for (int r = 1; r <= (addressed - 1) / 2; r++) {
                        targets.add(JidCreate.from("bench" + to + "@" + domain + "/r" + r));
                        targets.add(JidCreate.from("bench" + sender + "@" + domain + "/r" + r));
                    }
                    for (int i = 0; i < perUser; i++) {
                        if (rate == 0) {
                            current.windows[sender].tryAcquire(30, TimeUnit.SECONDS); // a lost message must not stall the pass
                        } else {
                            final long due = start + TimeUnit.SECONDS.toNanos(1) * (long) (i * users + sender) / rate;
                            final long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        for (Jid target : targets) {
                            final long now = System.nanoTime();
                            from.send(from.connection().getStanzaFactory().buildMessageStanza().to(target)
                                .ofType(Message.Type.chat).setBody("t" + now + (target == targets.get(0) ? ":" + sender : ""))
                                .build());
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.setName(SENDER_THREAD + u);
            senders.add(thread);
            thread.start();
        }
        for (Thread thread : senders) {
            thread.join();
        }
        final boolean complete = current.done.await(120, TimeUnit.SECONDS);
        final long elapsed = System.nanoTime() - start;
        final long serverCpu = cpu.cpuNanosSince();
        recorder = null;
        // Each XmppClient also keeps what it receives, for the tests: let go of it, or a long run fills the heap.
        for (XmppClient[] sessions : clients) {
            for (XmppClient client : sessions) {
                client.clearInbox();
            }
        }
        final int sent = perUser * users;
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("messages", sent);
        result.put("complete", complete);
        result.put("originalsDelivered", current.originalCount.get());
        result.put("carbonsDelivered", current.carbonCount.get());
        result.put("seconds", elapsed / 1e9);
        result.put("messagesPerSecond", sent / (elapsed / 1e9));
        result.put("deliveriesPerSecond", (current.originalCount.get() + current.carbonCount.get()) / (elapsed / 1e9));
        result.put("serverCpuUsPerMessage", serverCpu / 1e3 / sent);
        cpu.breakdown().forEach((kind, nanos) -> result.put("serverCpu" + Character.toUpperCase(kind.charAt(0))
            + kind.substring(1) + "UsPerMessage", nanos / 1e3 / sent));
        result.put("originalP50Ms", percentile(current.originals, current.originalCount.get(), 50));
        result.put("originalP99Ms", percentile(current.originals, current.originalCount.get(), 99));
        result.put("carbonP50Ms", percentile(current.carbons, current.carbonCount.get(), 50));
        result.put("carbonP99Ms", percentile(current.carbons, current.carbonCount.get(), 99));
        result.put("receivedCarbonP50Ms", percentile(current.received, current.receivedCount.get(), 50));
        result.put("receivedCarbonP99Ms", percentile(current.received, current.receivedCount.get(), 99));
        return result;
    }

    private static double percentile(AtomicLongArray values, int count, int percentile) {
        final int n = Math.min(count, values.length());
        if (n == 0) {
            return 0;
        }
        final long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = values.get(i);
        }
        Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) Math.ceil(percentile / 100.0 * n) - 1)] / 1e6;
    }
}
