package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.ClusterModel.ModelSession;
import org.igniterealtime.openfire.plugins.carbons.ClusterModel.Node;
import org.igniterealtime.openfire.plugins.carbons.bench.Heap;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster side of issue 18, measured on the {@link ClusterModel} with 2, 3, 5 and 8 nodes (numbers, never
 * pass/fail): cluster cache reads per routed message with the node-local copies and without them (an Openfire whose
 * caches have no entry events), how many other-node entries a node keeps and what they cost in heap, and how long a
 * node takes to build its copy after joining a cluster whose other nodes have published their users' sessions.
 */
public final class ClusterScaleBenchmark {

    private static final JID ALICE = new JID("alice", ClusterModel.DOMAIN, null);
    private static final int MESSAGES = 200;
    private static final int[] NODES = {2, 3, 5, 8};

    private ClusterScaleBenchmark() {
    }

    /** @param usersPerNode sessions (each of another user, with carbons) that every other node has published */
    public static List<Map<String, Object>> run(int usersPerNode) throws Exception {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (int nodes : NODES) {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("nodes", nodes);
            row.put("readsPerMessage", readsPerMessage(nodes, true));
            row.put("readsPerMessageWithoutCopies", readsPerMessage(nodes, false));
            rebuild(nodes, usersPerNode, row);
            rows.add(row);
        }
        return rows;
    }

    /** The rows as a markdown table. */
    public static String table(List<Map<String, Object>> rows, int usersPerNode) {
        final StringBuilder table = new StringBuilder()
            .append("| nodes | cache reads per message | without node-local copies | other nodes' entries kept | B per kept session | ")
            .append("copy built after a join (").append(usersPerNode).append(" users per node), ms |\n")
            .append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Map<String, Object> row : rows) {
            table.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %d | %.0f | %.1f |%n", row.get("nodes"), row.get("readsPerMessage"),
                row.get("readsPerMessageWithoutCopies"), row.get("entriesKept"), row.get("bytesPerKeptSession"), row.get("rebuildMs")));
        }
        return table.toString();
    }

    /** alice with a session on every node, bob on the first; his messages to her bare JID, each read counted. */
    private static double readsPerMessage(int nodes, boolean copies) {
        try (ClusterModel cluster = new ClusterModel(copies)) {
            final List<Node> members = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                members.add(cluster.node(Integer.toString(i + 1), true));
                members.get(i).connect("alice", "A" + (i + 1)).available(0).enableCarbons();
            }
            final ModelSession bob = members.get(0).connect("bob", "B1").available(0).enableCarbons();
            cluster.settle();
            cluster.resetCacheCounts();
            for (int i = 0; i < MESSAGES; i++) {
                bob.chat(ALICE, "m" + i);
            }
            cluster.settle();
            return (cluster.stateCache.reads.get() + cluster.occupancyCache.reads.get()) / (double) MESSAGES;
        }
    }

    /** The other nodes' published sessions in the cache, then the first node builds its copy: time and heap. */
    private static void rebuild(int nodes, int usersPerNode, Map<String, Object> row) throws Exception {
        try (ClusterModel cluster = new ClusterModel(true)) {
            cluster.stateCache.deserialisedCopies = true;
            final List<Node> members = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                members.add(cluster.node(Integer.toString(i + 1), true));
            }
            for (int n = 1; n < nodes; n++) {
                final String node = members.get(n).id.toString();
                for (int u = 0; u < usersPerNode; u++) {
                    final HashMap<String, Long> sessions = new HashMap<>();
                    sessions.put("u" + n + "x" + u + "@" + ClusterModel.DOMAIN + "/phone", System.currentTimeMillis());
                    cluster.stateCache.put("u" + n + "x" + u + "/" + node, sessions);
                }
            }
            cluster.settle();
            final Node first = members.get(0);
            first.state.stopFollowing();
            final long before = Heap.usedAfterGc();
            final long start = System.nanoTime();
            first.state.followOthers();
            final long took = System.nanoTime() - start;
            final long after = Heap.usedAfterGc();
            final int kept = first.state.othersKept();
            row.put("entriesKept", kept);
            row.put("bytesPerKeptSession", kept == 0 ? 0.0 : (after - before) / (double) kept);
            row.put("rebuildMs", took / 1_000_000.0);
        }
    }

    public static void main(String[] args) throws Exception {
        final int users = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        LoggerFactory.getLogger(ClusterScaleBenchmark.class).info("\n{}", table(run(users), users));
    }
}
