package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end load through the in-process Openfire: USERS users with three resources each (Smack connections in
 * this process), every resource carbons-enabled where carbons apply. Resource r0 of each user writes to r0 of
 * the next user, so each message makes one original and four carbons (two sent, two received).
 * <p>
 * Configurations, in one run on the same connections:
 * <ul>
 *   <li>{@code no-carbons}: plugin not loaded, carbons off: one delivery per message;</li>
 *   <li>{@code same-deliveries}: carbons off, the sender addresses all five resources itself: the deliveries
 *       carbons make, without carbons (the baseline for the plugin's own cost);</li>
 *   <li>{@code built-in}: Openfire's built-in carbons;</li>
 *   <li>{@code plugin}: this plugin.</li>
 * </ul>
 * Each is measured at saturation (all senders as fast as they can; median of three bursts) and at a fixed
 * offered rate.
 */
public final class LoadBenchmark {

    static final int USERS = 20;
    static final int SATURATION_MESSAGES = 15_000;
    /** Saturation passes per configuration; the median by throughput is reported (a single burst is noisy). */
    static final int SATURATION_PASSES = 3;
    static final int RATE_PER_SECOND = 300;
    static final int RATE_SECONDS = 5;

    private final EmbeddedOpenfire server;
    private final Path pluginJar;
    private final List<XmppClient[]> users = new ArrayList<>();
    private volatile Recorder recorder;

    LoadBenchmark(EmbeddedOpenfire server, Path pluginJar) {
        this.server = server;
        this.pluginJar = pluginJar;
    }

    /** Latencies of one measurement, in nanoseconds, by kind. */
    static final class Recorder {
        final AtomicLongArray originals;
        final AtomicLongArray carbons;
        final AtomicInteger originalCount = new AtomicInteger();
        final AtomicInteger carbonCount = new AtomicInteger();
        final CountDownLatch done;

        Recorder(int expectedOriginals, int expectedCarbons) {
            originals = new AtomicLongArray(expectedOriginals);
            carbons = new AtomicLongArray(Math.max(1, expectedCarbons));
            done = new CountDownLatch(expectedOriginals + expectedCarbons);
        }

        void record(Message message, long now) {
            final CarbonExtension carbon = CarbonExtension.from(message);
            final Message original = carbon == null ? message : (Message) carbon.getForwarded().getForwardedStanza();
            final String body = original.getBody();
            if (body == null || !body.startsWith("t")) {
                return;
            }
            final long latency = now - Long.parseLong(body.substring(1));
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
            }
            done.countDown();
        }
    }

    Map<String, Map<String, Object>> run() throws Exception {
        for (int u = 0; u < USERS; u++) {
            server.ensureUser("bench" + u, "secret");
            final XmppClient[] resources = new XmppClient[3];
            for (int r = 0; r < 3; r++) {
                resources[r] = XmppClient.login(server.clientPort(), "bench" + u, "secret", "r" + r);
                resources[r].available(0);
                final XmppClient client = resources[r];
                client.connection().addSyncStanzaListener(stanza -> {
                    final Recorder current = recorder;
                    if (current != null) {
                        current.record((Message) stanza, System.nanoTime());
                    }
                }, stanza -> stanza instanceof Message);
            }
            users.add(resources);
        }
        final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        if (server.isPluginLoaded()) {
            server.undeployPlugin();
        }
        measure(results, "no-carbons", false, 1);
        measure(results, "same-deliveries", false, 5);
        for (XmppClient[] resources : users) {
            for (XmppClient client : resources) {
                client.enableCarbons(); // Openfire's built-in handler answers
            }
        }
        measure(results, "built-in", true, 1);
        server.deployPlugin(pluginJar); // takes the enabled sessions over
        measure(results, "plugin", true, 1);
        for (XmppClient[] resources : users) {
            for (XmppClient client : resources) {
                client.close();
            }
        }
        return results;
    }

    private void measure(Map<String, Map<String, Object>> results, String name, boolean carbons, int addressed) throws Exception {
        warmUp(carbons, addressed);
        final List<Map<String, Object>> passes = new ArrayList<>();
        for (int i = 0; i < SATURATION_PASSES; i++) {
            passes.add(pass(SATURATION_MESSAGES, 0, carbons, addressed));
        }
        passes.sort((a, b) -> Double.compare((Double) a.get("messagesPerSecond"), (Double) b.get("messagesPerSecond")));
        final Map<String, Object> saturation = passes.get(passes.size() / 2);
        saturation.put("passesMessagesPerSecond", passes.stream().map(p -> p.get("messagesPerSecond")).toList());
        final Map<String, Object> paced = pass(RATE_PER_SECOND * RATE_SECONDS, RATE_PER_SECOND, carbons, addressed);
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("saturation", saturation);
        result.put("fixedRate", paced);
        results.put(name, result);
    }

    private void warmUp(boolean carbons, int addressed) throws Exception {
        pass(1000, 0, carbons, addressed);
    }

    /**
     * Sends the messages (all at once with rate 0, else paced to the rate) and waits for every delivery.
     */
    private Map<String, Object> pass(int messages, int rate, boolean carbons, int addressed) throws Exception {
        final int perMessage = carbons ? 4 : 0;
        final Recorder current = new Recorder(messages * addressed, messages * perMessage);
        recorder = current;
        final int perUser = messages / USERS;
        final long start = System.nanoTime();
        final List<Thread> senders = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            final int sender = u;
            final Thread thread = new Thread(() -> {
                try {
                    final XmppClient from = users.get(sender)[0];
                    final int to = (sender + 1) % USERS;
                    final List<Jid> targets = new ArrayList<>();
                    targets.add(JidCreate.from("bench" + to + "@localhost/r0"));
                    if (addressed == 5) {
                        targets.add(JidCreate.from("bench" + to + "@localhost/r1"));
                        targets.add(JidCreate.from("bench" + to + "@localhost/r2"));
                        targets.add(JidCreate.from("bench" + sender + "@localhost/r1"));
                        targets.add(JidCreate.from("bench" + sender + "@localhost/r2"));
                    }
                    for (int i = 0; i < perUser; i++) {
                        if (rate > 0) {
                            final long due = start + TimeUnit.SECONDS.toNanos(1) * (long) (i * USERS + sender) / rate;
                            final long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        for (Jid target : targets) {
                            final long now = System.nanoTime();
                            from.send(from.connection().getStanzaFactory().buildMessageStanza().to(target)
                                .ofType(Message.Type.chat).setBody("t" + now).build());
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            senders.add(thread);
            thread.start();
        }
        for (Thread thread : senders) {
            thread.join();
        }
        final boolean complete = current.done.await(120, TimeUnit.SECONDS);
        final long elapsed = System.nanoTime() - start;
        recorder = null;
        final int sent = perUser * USERS;
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("messages", sent);
        result.put("complete", complete);
        result.put("originalsDelivered", current.originalCount.get());
        result.put("carbonsDelivered", current.carbonCount.get());
        result.put("seconds", elapsed / 1e9);
        result.put("messagesPerSecond", sent / (elapsed / 1e9));
        result.put("deliveriesPerSecond", (current.originalCount.get() + current.carbonCount.get()) / (elapsed / 1e9));
        result.put("originalP50Ms", percentile(current.originals, current.originalCount.get(), 50));
        result.put("originalP99Ms", percentile(current.originals, current.originalCount.get(), 99));
        result.put("carbonP50Ms", percentile(current.carbons, current.carbonCount.get(), 50));
        result.put("carbonP99Ms", percentile(current.carbons, current.carbonCount.get(), 99));
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
