package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 20 users with 3 resources each send messages to each other (full and bare JIDs) while their resources turn
 * carbons on and off at random. A collector checks, per message and resource: never two copies; exactly one
 * (original or carbon) where carbons were on for the message's whole life; no carbon where they were off.
 */
class ExactlyOnceUnderConcurrencyIT {

    private static final int USERS = 20;
    private static final int RESOURCES = 3;
    private static final int OPERATIONS_PER_RESOURCE = 40;

    private final List<Resource> resources = new ArrayList<>();

    /** One connected resource with the times (one JVM clock) at which its carbons were surely on or off. */
    private static final class Resource {
        final XmppClient client;
        final String jid;
        final List<long[]> surelyOn = new CopyOnWriteArrayList<>();
        final List<long[]> surelyOff = new CopyOnWriteArrayList<>();
        final Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        final Map<String, List<Long>> carbons = new ConcurrentHashMap<>();
        volatile long stateSince;
        volatile boolean on;

        Resource(XmppClient client) {
            this.client = client;
            this.jid = client.jid().toString();
            client.connection().addSyncStanzaListener(stanza -> {
                final Message message = (Message) stanza;
                final CarbonExtension carbon = CarbonExtension.from(message);
                final String body = carbon == null ? message.getBody() : ((Message) carbon.getForwarded().getForwardedStanza()).getBody();
                if (body != null && body.startsWith("m")) {
                    seen.computeIfAbsent(body, b -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                    if (carbon != null) {
                        carbons.computeIfAbsent(body, b -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                    }
                }
            }, stanza -> stanza instanceof Message);
        }

        void toggle() throws Exception {
            final long requested = System.nanoTime();
            (on ? surelyOn : surelyOff).add(new long[]{stateSince, requested});
            if (on) {
                client.disableCarbons();
            } else {
                client.enableCarbons();
            }
            on = !on;
            stateSince = System.nanoTime();
        }

        void close(long end) {
            (on ? surelyOn : surelyOff).add(new long[]{stateSince, end});
        }

        boolean within(List<long[]> intervals, long from, long to) {
            for (long[] interval : intervals) {
                if (interval[0] <= from && to <= interval[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Sent(String body, Resource sender, String to, String recipientUser, long at) {
    }

    private static String user(String jid) {
        return jid.substring(0, jid.indexOf('@'));
    }

    @AfterEach
    void disconnect() {
        resources.forEach(r -> r.client.close());
    }

    @Test
    void everyResourceSeesEachMessageExactlyOnceWhileCarbonsAreOnAndNeverWhileOff() throws Exception {
        RealServer.get();
        for (int u = 0; u < USERS; u++) {
            RealServer.get().ensureUser("load" + u, RealServer.PASSWORD);
            for (int r = 0; r < RESOURCES; r++) {
                final Resource resource = new Resource(RealServer.login("load" + u, "r" + r));
                resource.client.available(0);
                resource.stateSince = System.nanoTime();
                resources.add(resource);
            }
        }
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger counter = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(12);
        final List<Future<?>> work = new ArrayList<>();
        for (Resource resource : resources) {
            work.add(pool.submit(() -> {
                final Random random = new Random(resource.jid.hashCode());
                for (int i = 0; i < OPERATIONS_PER_RESOURCE; i++) {
                    if (random.nextInt(5) == 0) {
                        resource.toggle();
                    } else {
                        final int user = random.nextInt(USERS);
                        final String to = random.nextBoolean() ? "load" + user + "@localhost" : "load" + user + "@localhost/r" + random.nextInt(RESOURCES);
                        final String body = "m" + counter.incrementAndGet();
                        final long at = System.nanoTime();
                        resource.client.chat(to, body);
                        sent.add(new Sent(body, resource, to, "load" + user, at));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        pool.shutdown();
        // Everything sent has been routed once every sender's ping is answered, and delivered once every
        // receiver's ping is answered after that.
        for (Resource resource : resources) {
            resource.client.sync();
        }
        for (Resource resource : resources) {
            resource.client.sync();
        }
        final long end = System.nanoTime();
        resources.forEach(r -> r.close(end));

        int duplicates = 0;
        int losses = 0;
        int strays = 0;
        int carbonsWhileOff = 0;
        int checked = 0;
        final List<String> problems = new ArrayList<>();
        for (Sent message : sent) {
            final long last = resources.stream().flatMap(r -> r.seen.getOrDefault(message.body(), List.of()).stream())
                .mapToLong(Long::longValue).max().orElse(end);
            final String senderUser = user(message.sender().jid);
            for (Resource resource : resources) {
                final int copies = resource.seen.getOrDefault(message.body(), List.of()).size();
                final int carbonCopies = resource.carbons.getOrDefault(message.body(), List.of()).size();
                final String user = user(resource.jid);
                final boolean addressed = resource.jid.equals(message.to()) || (user + "@localhost").equals(message.to());
                String problem = null;
                if (copies > 1) {
                    duplicates++;
                    problem = "duplicate";
                } else if (!user.equals(senderUser) && !user.equals(message.recipientUser())) {
                    if (copies > 0) {
                        strays++;
                        problem = "stray";
                    }
                } else if (resource == message.sender()) {
                    if (carbonCopies > 0 || copies > 0 && !addressed) {
                        strays++;
                        problem = "copy to the sending resource";
                    }
                } else if (resource.within(resource.surelyOn, message.at(), last)) {
                    checked++;
                    if (copies == 0) {
                        losses++;
                        problem = "lost";
                    }
                } else if (resource.within(resource.surelyOff, message.at(), last) && carbonCopies > 0) {
                    carbonsWhileOff++;
                    problem = "carbon while off";
                }
                if (problem != null && problems.size() < 10) {
                    problems.add(problem + ": " + message.body() + " " + message.sender().jid + " -> " + message.to() + " at " + resource.jid
                        + " (" + copies + " copies, " + carbonCopies + " carbons)");
                }
            }
        }
        assertTrue(sent.size() > 1000, "enough traffic: " + sent.size());
        assertTrue(checked > 1000, "enough resources had carbons on throughout: " + checked);
        assertEquals(List.of(), problems);
        assertEquals(0, duplicates, "duplicates");
        assertEquals(0, strays, "copies to resources that should not see the message");
        assertEquals(0, losses, "losses");
        assertEquals(0, carbonsWhileOff, "carbons while disabled");
    }
}
