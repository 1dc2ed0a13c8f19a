package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 2,000 sessions come and go (connect, enable carbons, join a room, send, leave; a third of them by dropping
 * the socket). Afterwards the plugin's state holds exactly the sessions still online, and nothing it
 * registered with Openfire has multiplied (Openfire's own MUC rooms add listeners of their own, so only the
 * plugin's are counted).
 */
class ChurnIT {

    private static final int CYCLES = 2000;
    private static final int THREADS = 8;

    @Test
    void stateReturnsToTheOnlineSessionsAndNothingGrows() throws Exception {
        final EmbeddedOpenfire server = RealServer.get();
        for (int t = 0; t < THREADS; t++) {
            server.ensureUser("churn" + t, RealServer.PASSWORD);
        }
        final Cache<Object, Object> enabled = CacheFactory.createCache("Message Carbons Enabled Sessions");
        final Cache<Object, Object> rooms = CacheFactory.createCache("Message Carbons MUC Occupancy");

        try (XmppClient stayer = RealServer.login("churn0", "stays")) {
            stayer.available(0);
            stayer.enableCarbons();
            final int enabledBefore = enabled.size();
            final int roomsBefore = rooms.size();

            final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            final List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = thread; i < CYCLES; i += THREADS) {
                        final XmppClient client = RealServer.login("churn" + thread, "c" + i);
                        client.available(0);
                        client.enableCarbons();
                        client.send(client.connection().getStanzaFactory().buildPresenceStanza()
                            .to(org.jxmpp.jid.impl.JidCreate.from("churnroom" + thread + "@conference.localhost/n" + i)).build());
                        client.chat("churn" + ((thread + 1) % THREADS) + "@localhost", "cycle " + i);
                        client.sync();
                        if (i % 3 == 0) {
                            client.connection().instantShutdown(); // the socket just drops
                        } else {
                            client.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            pool.shutdown();

            EmbeddedOpenfire.waitFor(Duration.ofSeconds(60), () -> enabled.size() == enabledBefore && rooms.size() == roomsBefore,
                "the plugin's state to shrink back to the online sessions");
            assertEquals(enabledBefore, enabled.size());
            assertEquals(roomsBefore, rooms.size());
            assertEquals(1, server.server().getSessionManager().getSessions("churn0").size(), "only the stayer is online");
        }
        assertEquals(1, ours(InterceptorManager.getInstance().getInterceptors()), "one interceptor of the plugin");
        assertEquals(1, ours(listeners(SessionEventDispatcher.class)), "one session listener of the plugin");
        assertEquals(1, ours(listeners(PropertyEventDispatcher.class)), "one property listener of the plugin");
    }

    /** Registrations made by the plugin (its classes come from its own class loader, so they are told by name). */
    static long ours(Collection<?> registered) {
        return registered.stream().filter(o -> o.getClass().getName().startsWith("org.igniterealtime.openfire.plugins.carbons.")).count();
    }

    static Collection<?> listeners(Class<?> dispatcher) throws Exception {
        final Field field = dispatcher.getDeclaredField("listeners");
        field.setAccessible(true);
        return (Collection<?>) field.get(null);
    }
}
