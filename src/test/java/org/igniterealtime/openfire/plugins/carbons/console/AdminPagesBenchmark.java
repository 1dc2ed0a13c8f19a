package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.cache.DefaultCache;
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

import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * What loading the status page costs the server with many enabled sessions (two per user, state in an Openfire
 * DefaultCache as deployed): the summary, and one page of the users with carbons. Openfire's session counts
 * come from a Mockito mock, whose few calls per page are part of the figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdminPagesBenchmark {

    @Param({"1000", "10000", "100000"})
    public int sessions;

    private CarbonsAdmin admin;

    @Setup
    public void setUp() {
        final CarbonsState state = new CarbonsState(new DefaultCache<>("admin-bench", -1, -1));
        for (int i = 0; i < sessions; i++) {
            state.enable(new JID("user" + (i / 2) + "@example.org/r" + (i % 2)), "s" + i);
        }
        final SessionManager sessionManager = mock(SessionManager.class);
        // The users page counts the shown users' sessions in one pass over every client session (what Openfire's
        // Client Sessions page lists), so that pass is part of the figure.
        final java.util.List<ClientSession> all = new java.util.ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            all.add(session(new JID("user" + (i / 2) + "@example.org/r" + (i % 2))));
        }
        when(sessionManager.getSessions()).thenReturn(all);
        when(sessionManager.getUserSessionsCount(false)).thenReturn(sessions);
        admin = new CarbonsAdmin(state, new CarbonsStatistics(), sessionManager, () -> RuleSettings.DEFAULTS);
    }

    /**
     * A session that answers what the pages ask (address, stream ID, no presence yet) as cheaply as Openfire's
     * LocalClientSession does (field reads): a JDK proxy, as a Mockito mock would cost microseconds per call and
     * measure Mockito instead of the page.
     */
    private static ClientSession session(JID address) {
        final StreamID streamId = () -> "s0";
        return (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[]{ClientSession.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getAddress" -> address;
                case "getStreamID" -> streamId;
                default -> null;
            });
    }

    @Benchmark
    public Object summary() {
        return admin.summary();
    }

    @Benchmark
    public Object usersWithCarbonsMiddlePage() {
        return admin.usersWithCarbons(sessions / 4, 15);
    }

    /** The user search: every session Openfire lists for one user, found in one pass over all client sessions. */
    @Benchmark
    public Object sessionsOfAUser() {
        return admin.resourcesOf("user" + sessions / 4);
    }
}
