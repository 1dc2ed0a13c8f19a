package org.igniterealtime.openfire.plugins.carbons.cluster;

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

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What cluster support adds to the per-message lookup of a user's carbons-enabled resources: nothing but a flag read
 * when the server is not clustered ({@code standalone}); one cache read per other node when it is ({@code clustered},
 * here against a node-local DefaultCache, so the figure excludes Hazelcast's network round trip).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClusterLookupBenchmark {

    @Param({"standalone", "clustered"})
    public String mode;

    private CarbonsState state;

    @Setup
    public void setUp() {
        final Map<String, HashMap<String, Long>> cache = new DefaultCache<>("cluster-lookup-bench", -1, -1);
        final TestMembership membership = new TestMembership("node-1", "node-2");
        membership.clustered = "clustered".equals(mode);
        state = new CarbonsState(cache, membership);
        for (int i = 1; i <= 3; i++) {
            state.enable(new JID("alice", "example.org", "local" + i), "stream" + i);
        }
        final HashMap<String, Long> otherNode = new HashMap<>();
        otherNode.put("alice@example.org/remote1", 1L);
        otherNode.put("alice@example.org/remote2", 1L);
        cache.put("alice/node-2", otherNode);
    }

    /** The part of OpenfireDirectory.carbonsResources that cluster support added. */
    @Benchmark
    public Collection<String> otherNodesCandidates() {
        return state.otherNodesCandidates("alice");
    }

    /** The whole state lookup per user: this node's index, then the other nodes. */
    @Benchmark
    public int candidates() {
        return state.localResources("alice").size() + state.otherNodesCandidates("alice").size();
    }
}
