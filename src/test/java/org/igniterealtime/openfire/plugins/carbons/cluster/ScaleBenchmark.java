package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.InFlightMessage;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RecentMap;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;


/**
 * The plugin's per-message work as the server grows (issue 18): a chat message to a user with {@code resources}
 * carbons-enabled sessions, judged before routing and copied after, on a server with {@code sessions} enabled sessions
 * (each user with that many resources). The plugin's real engine and state; the directory does what OpenfireDirectory
 * does, with Openfire's session look-up ({@code SessionManager.getSession}: a map look-up in RoutingTableImpl, which
 * the built-in carbons make too, and whose cost does not depend on the plugin) replaced by a map of this benchmark's
 * (a Mockito stub there would cost more than everything measured). The cost should be flat in {@code sessions} and
 * grow with {@code resources} (one copy per other resource).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScaleBenchmark {

    private static final String DOMAIN = "example.org";

    @Param({"1000", "5000", "20000"})
    public int sessions;

    @Param({"1", "2", "5", "10"})
    public int resources;

    private CarbonsEngine engine;
    private Message message;
    private JID recipient;

    @Setup
    public void setUp() {
        final CarbonsState state = new CarbonsState(new ConcurrentHashMap<>());
        // Openfire's local routes: full JID to the session's stream (RoutingTableImpl's localRoutingTable).
        final Map<JID, String> streams = new HashMap<>();
        for (int user = 0; user < sessions / resources; user++) {
            for (int r = 0; r < resources; r++) {
                final JID address = new JID("u" + user, DOMAIN, "r" + r);
                final String stream = "s" + user + "-" + r;
                streams.put(address, stream);
                state.enable(address, stream);
            }
        }
        final CarbonsDirectory directory = new CarbonsDirectory() {
            @Override
            public boolean isLocalUser(JID address) {
                return address.getNode() != null && DOMAIN.equals(address.getDomain());
            }

            @Override
            public boolean isMucService(JID address) {
                return false;
            }

            @Override
            public Collection<JID> onlineResources(JID user) {
                return List.of();
            }

            /** OpenfireDirectory.carbonsResources, with the session found in the map. */
            @Override
            public Collection<JID> carbonsResources(JID user) {
                final List<JID> result = new ArrayList<>();
                for (String resource : state.localResources(user.getNode())) {
                    final JID address = new JID(user.getNode(), DOMAIN, resource, true);
                    final String stream = streams.get(address);
                    if (stream != null && state.isEnabled(user.getNode(), resource, stream)) {
                        result.add(address);
                    }
                }
                for (String other : state.otherNodesCandidates(user.getNode())) {
                    result.add(new JID(other));
                }
                return result;
            }
        };
        engine = new CarbonsEngine(directory, new MucOccupancy(new ConcurrentHashMap<>()),
            new CopiedMessages(new RecentMap<>(20_000, 300_000)), RuleSettings.DEFAULTS, new CarbonsStatistics());
        recipient = new JID("u0", DOMAIN, "r0");
        message = new Message();
        message.setType(Message.Type.chat);
        message.setFrom(new JID("bob", "elsewhere.example", "desk"));
        message.setTo(recipient);
        message.setID("m1");
        message.setBody("hello");
    }

    /** Judged, routed to the addressed resource, copied to the user's others. */
    @Benchmark
    public List<Message> chatToAUserWithCarbons() {
        final InFlightMessage inFlight = engine.beforeRouting(message);
        if (inFlight == null) {
            return List.of();
        }
        inFlight.deliveredTo(recipient);
        return engine.afterRouting(inFlight);
    }
}
