package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A running Openfire cluster that the load benchmark drives from outside: each node an {@link ExternalOpenfire},
 * a user's resources spread over the nodes (resource rK on node K mod n), so that every message crosses the cluster
 * as it does when one user's devices sit on different nodes. The plugin is loaded and unloaded on every node (an
 * administrator installs a plugin node by node), and the server's CPU is all nodes' together.
 * <p>
 * {@code -Dbench.server=host:port,host:port -Dbench.serverPid=pid,pid -Dbench.pluginsDir=dir,dir}, one entry per
 * node, in the same order.
 */
final class ExternalCluster implements LoadTarget {

    private final List<ExternalOpenfire> nodes;

    ExternalCluster(List<ExternalOpenfire> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    @Override
    public int users() {
        return nodes.get(0).users();
    }

    @Override
    public String domain() {
        return nodes.get(0).domain();
    }

    /** Resource "rK" on node K mod n; any other resource on the first node. */
    @Override
    public XmppClient login(String username, String resource) throws Exception {
        return node(resource).login(username, resource);
    }

    private ExternalOpenfire node(String resource) {
        if (resource.matches("r\\d+")) {
            return nodes.get(Integer.parseInt(resource.substring(1)) % nodes.size());
        }
        return nodes.get(0);
    }

    private static final String LOADED = "Successfully loaded plugin 'carbons";
    private static final String UNLOADED = "Successfully unloaded plugin 'carbons'";

    /**
     * By the plugins directories: in a cluster, a node's disco#info answers the server features of all nodes together
     * (IQDiscoInfoHandler keeps them in a clustered cache), so it cannot tell which node runs the plugin. Any node
     * counts: a half-loaded cluster (a run cut short) is unloaded everywhere first.
     */
    @Override
    public boolean isPluginLoaded() {
        return nodes.stream().anyMatch(ExternalOpenfire::hasPluginFiles);
    }

    /** On every node at once, as PluginMonitor picks the jars up; returns once each node's log says it loaded. */
    @Override
    public void deployPlugin(Path jar) throws Exception {
        final long[] before = logLines(LOADED);
        final boolean[] all = new boolean[nodes.size()];
        java.util.Arrays.fill(all, true);
        for (ExternalOpenfire node : nodes) {
            node.placeJar(jar);
        }
        awaitLogLines(LOADED, before, all, () -> true, "the plugin to load on every node");
        if (!nodes.get(0).isPluginLoaded()) {
            throw new IllegalStateException("the plugin loaded but its disco#info feature is missing");
        }
    }

    /** From every node that has it; returns once each of those logged the unloading and its files are gone. */
    @Override
    public void undeployPlugin() throws Exception {
        final long[] before = logLines(UNLOADED);
        final boolean[] had = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            had[i] = nodes.get(i).hasPluginFiles();
            nodes.get(i).removeJar();
        }
        awaitLogLines(UNLOADED, before, had, () -> !isPluginLoaded(), "the plugin to unload on every node");
    }

    private long[] logLines(String text) throws IOException {
        final long[] counts = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            counts[i] = nodes.get(i).logLines(text);
        }
        return counts;
    }

    /** Until each node marked has logged the text once more than before, and the other condition holds. */
    private void awaitLogLines(String text, long[] before, boolean[] which, BooleanSupplier also, String what)
        throws InterruptedException {
        ExternalOpenfire.waitFor(() -> {
            try {
                final long[] now = logLines(text);
                for (int i = 0; i < now.length; i++) {
                    if (which[i] && now[i] <= before[i]) {
                        return false;
                    }
                }
                return also.getAsBoolean();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, what);
    }

    @Override
    public CpuMark cpuMark() throws Exception {
        final List<CpuMark> marks = new ArrayList<>();
        for (ExternalOpenfire node : nodes) {
            marks.add(node.cpuMark());
        }
        return new CpuMark() {
            private final Map<String, Long> breakdown = new TreeMap<>();

            @Override
            public long cpuNanosSince() throws Exception {
                long total = 0;
                breakdown.clear();
                for (CpuMark mark : marks) {
                    total += mark.cpuNanosSince();
                    mark.breakdown().forEach((kind, nanos) -> breakdown.merge(kind, nanos, Long::sum));
                }
                return total;
            }

            @Override
            public Map<String, Long> breakdown() {
                return breakdown;
            }
        };
    }

    @Override
    public Profile profile(Path file) {
        throw new UnsupportedOperationException("JFR recordings are taken of a single server only (-Dbench.jfr)");
    }
}
