package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterEventListener;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.openfire.cluster.NodeID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The plugin in an Openfire cluster: knows the members, keeps the watch on remote deliveries installed, and keeps the
 * shared state true when nodes come and go.
 * <ul>
 *     <li>This node joins (or clustering starts while the plugin runs): Openfire has installed a new remote packet router
 *     and session locator (CacheFactory.startClustering) and emptied the clusterable caches (CacheFactory.joinedCluster
 *     runs before the listeners, ClusterManager's event dispatcher): wrap the new router and locator, publish this
 *     node's entries again.</li>
 *     <li>This node leaves: the caches are node-local again and empty (CacheFactory.leftCluster): publish this node's
 *     entries again; Openfire cleared the router and locator (CacheFactory.stopClustering).</li>
 *     <li>Another node leaves or dies: it is no longer asked for its users' sessions; the senior member removes what it
 *     left in the caches, as RoutingTableImpl.leftCluster(nodeID) does for the routes of a node that left.</li>
 *     <li>This node becomes the senior member (the previous one left): it removes what any departed node left.</li>
 * </ul>
 */
public final class CarbonsCluster implements ClusterEventListener, ClusterMembership {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsCluster.class);

    private final XMPPServer server;
    private final String localNode;
    private final RemoteDeliveryWatch watch;
    private final List<SharedEntries> shared = new ArrayList<>();
    private volatile boolean clustered;
    private volatile Set<String> otherNodes = Set.of();

    /** What the plugin keeps in cluster caches, per node. */
    interface SharedEntries {
        /** Puts this node's entries (back) into the cache. */
        int republish();

        /** Removes the entries of departed nodes. */
        int removeEntriesOf(Predicate<String> goneNode);

        /**
         * Starts (again) keeping a node-local copy of the other nodes' entries, fed by the cache's entry events (after
         * this node joined and put its own entries back).
         *
         * @return whether the copy is kept (false where the cache has no events: readers then read the cache)
         */
        boolean followOthers();

        /** Stops keeping the copy and forgets it (this node left the cluster, or the plugin stops). */
        void stopFollowing();
    }

    public CarbonsCluster(XMPPServer server, RemoteDeliveryWatch watch) {
        this.server = server;
        this.localNode = server.getNodeID().toString();
        this.watch = watch;
    }

    /** The state this node publishes; registered before {@link #start()}. */
    public void share(SharedEntries entries) {
        shared.add(entries);
    }

    public void start() {
        ClusterManager.addListener(this);
        if (ClusterManager.isClusteringStarted()) {
            joinedCluster();
        }
    }

    public void stop() {
        ClusterManager.removeListener(this);
        watch.uninstall(server);
        clustered = false;
        otherNodes = Set.of();
        shared.forEach(SharedEntries::stopFollowing);
    }

    @Override
    public String localNode() {
        return localNode;
    }

    @Override
    public boolean clustered() {
        return clustered;
    }

    @Override
    public Collection<String> otherNodes() {
        return otherNodes;
    }

    @Override
    public void joinedCluster() {
        watch.install(server);
        otherNodes = members(null);
        clustered = true;
        final int published = republish();
        int followed = 0;
        for (SharedEntries entries : shared) {
            followed += entries.followOthers() ? 1 : 0;
        }
        Log.info("Joined the cluster as {}: other nodes {}, this node's carbons state published again ({} entries), "
            + "{} of {} node-local copies of the other nodes' state kept by cache events", localNode, otherNodes, published, followed, shared.size());
        if (ClusterManager.isSeniorClusterMember()) {
            removeEntriesOfDepartedNodes();
        }
    }

    @Override
    public void joinedCluster(byte[] nodeID) {
        otherNodes = members(null);
    }

    @Override
    public void leftCluster() {
        clustered = false;
        otherNodes = Set.of();
        shared.forEach(SharedEntries::stopFollowing);
        final int published = republish();
        Log.info("Left the cluster: this node's carbons state kept node-locally ({} entries)", published);
    }

    @Override
    public void leftCluster(byte[] nodeID) {
        final String gone = NodeID.getInstance(nodeID).toString();
        otherNodes = members(gone);
        if (ClusterManager.isSeniorClusterMember()) {
            final int removed = removeEntries(gone::equals);
            Log.info("Cluster node {} left; removed {} carbons entries of its sessions", gone, removed);
        }
    }

    @Override
    public void markedAsSeniorClusterMember() {
        removeEntriesOfDepartedNodes();
    }

    private void removeEntriesOfDepartedNodes() {
        final Set<String> live = Set.copyOf(members(null));
        final int removed = removeEntries(node -> !live.contains(node));
        if (removed > 0) {
            Log.info("Removed {} carbons entries of sessions on nodes no longer in the cluster", removed);
        }
    }

    private int republish() {
        int published = 0;
        for (SharedEntries entries : shared) {
            published += entries.republish();
        }
        return published;
    }

    private int removeEntries(Predicate<String> goneNode) {
        int removed = 0;
        for (SharedEntries entries : shared) {
            removed += entries.removeEntriesOf(goneNode);
        }
        return removed;
    }

    /** The other members, as Openfire lists them (ClusterManager.getNodesInfo), without a node known to be gone. */
    private Set<String> members(String gone) {
        final Set<String> members = new LinkedHashSet<>();
        for (ClusterNodeInfo info : ClusterManager.getNodesInfo()) {
            final String node = info.getNodeID().toString();
            if (!node.equals(localNode) && !node.equals(gone)) {
                members.add(node);
            }
        }
        return Collections.unmodifiableSet(members);
    }
}
