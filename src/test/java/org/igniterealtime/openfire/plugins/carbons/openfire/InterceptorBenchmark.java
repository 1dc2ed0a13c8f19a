package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.MapDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Presence;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.mockito.Mockito.mock;

/**
 * The interceptor's cost on the stanzas that are not messages: every IQ and presence of the server passes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterceptorBenchmark {

    private CarbonsInterceptor interceptor;
    private ClientSession session;
    private IQ iq;
    private Presence presence;

    @Setup
    public void setUp() {
        final CarbonsDirectory directory = new MapDirectory();
        final CarbonsEngine engine = new CarbonsEngine(directory, new MucOccupancy(new ConcurrentHashMap<>()),
            new CopiedMessages(new ConcurrentHashMap<>()), RuleSettings.DEFAULTS, new CarbonsStatistics());
        interceptor = new CarbonsInterceptor(engine, new RoutingTracker(), mock(SessionManager.class), directory);
        session = mock(ClientSession.class);
        iq = new IQ(IQ.Type.get);
        iq.setFrom("alice@example.org/A1");
        iq.setChildElement("ping", "urn:xmpp:ping");
        presence = new Presence();
        presence.setFrom("alice@example.org/A1");
    }

    @Benchmark
    public IQ iq() throws PacketRejectedException {
        interceptor.interceptPacket(iq, session, true, false);
        return iq;
    }

    @Benchmark
    public Presence broadcastPresence() throws PacketRejectedException {
        interceptor.interceptPacket(presence, session, true, false);
        return presence;
    }
}
