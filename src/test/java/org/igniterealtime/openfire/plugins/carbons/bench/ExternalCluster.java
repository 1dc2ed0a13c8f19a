package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** On any node: a half-loaded cluster (a run cut short) counts as loaded, so that it is unloaded everywhere first. */
    @Override
    public boolean isPluginLoaded() throws Exception {
        for (ExternalOpenfire node : nodes) {
            if (node.isPluginLoaded()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void deployPlugin(Path jar) throws Exception {
        for (ExternalOpenfire node : nodes) {
            node.deployPlugin(jar);
        }
    }

    @Override
    public void undeployPlugin() throws Exception {
        for (ExternalOpenfire node : nodes) {
            if (node.isPluginLoaded()) {
                node.undeployPlugin();
            }
        }
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
