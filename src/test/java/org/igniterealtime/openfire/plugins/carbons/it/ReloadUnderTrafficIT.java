package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.jivesoftware.openfire.IQRouter;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin is unloaded and loaded 20 times while bob keeps writing to alice/A1 and alice/A2 has carbons on:
 * never two registrations, and A2 keeps getting one copy of every message, from Openfire's built-in carbons
 * while the plugin is away and from the plugin while it is loaded.
 */
class ReloadUnderTrafficIT extends CarbonsTestBase {

    private static final int RELOADS = 20;

    @Test
    void enabledClientsKeepExactlyOneCopyAcrossReloads() throws Exception {
        a2.enableCarbons();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        final Thread traffic = new Thread(() -> {
            try {
                while (running.get()) {
                    b1.chat("alice@localhost/A1", "r" + sent.incrementAndGet());
                    Thread.sleep(3);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        traffic.start();
        final List<String> registrations = new ArrayList<>();
        for (int i = 0; i < RELOADS; i++) {
            server.undeployPlugin();
            registrations.add("unloaded: " + registrations());
            Thread.sleep(50);
            server.deployPlugin(RealServer.pluginJar());
            registrations.add("loaded: " + registrations());
            Thread.sleep(50);
        }
        running.set(false);
        traffic.join();
        flush(b1, a1, a2);

        for (String sample : registrations) {
            if (sample.startsWith("unloaded")) {
                assertEquals("unloaded: interceptors=0 sessionListeners=0 iqHandler=built-in", sample);
            } else {
                assertEquals("loaded: interceptors=1 sessionListeners=1 iqHandler=plugin", sample);
            }
        }
        final Map<String, Integer> copies = new HashMap<>();
        for (Message carbon : received(a2)) {
            copies.merge(((Message) CarbonExtension.from(carbon).getForwarded().getForwardedStanza()).getBody(), 1, Integer::sum);
        }
        final List<String> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        final List<String> missing = new ArrayList<>();
        for (int n = 1; n <= sent.get(); n++) {
            if (!copies.containsKey("r" + n)) {
                missing.add("r" + n);
            }
        }
        assertTrue(sent.get() > 200, "traffic flowed: " + sent.get());
        assertEquals(List.of(), duplicated, "duplicates at the hand-overs");
        assertEquals(List.of(), missing, "messages A2 never saw");
    }

    private String registrations() throws Exception {
        final long interceptors = ChurnIT.ours(InterceptorManager.getInstance().getInterceptors());
        final long sessionListeners = ChurnIT.ours(ChurnIT.listeners(SessionEventDispatcher.class));
        final Field handlers = IQRouter.class.getDeclaredField("namespace2Handlers");
        handlers.setAccessible(true);
        final Object handler = ((Map<?, ?>) handlers.get(server.server().getIQRouter())).get("urn:xmpp:carbons:2");
        final String iqHandler = handler != null && handler.getClass().getName().startsWith("org.igniterealtime.") ? "plugin" : "built-in";
        return "interceptors=" + interceptors + " sessionListeners=" + sessionListeners + " iqHandler=" + iqHandler;
    }
}
