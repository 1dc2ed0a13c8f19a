package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsCluster;
import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.cluster.NodeOwnedMap;
import org.igniterealtime.openfire.plugins.carbons.cluster.RemoteDeliveryWatch;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsActivation;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsInterceptor;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsSessionListener;
import org.igniterealtime.openfire.plugins.carbons.openfire.OpenfireDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RecentMap;
import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.RemotePacketRouter;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.cluster.ClusterManager;
import org.jivesoftware.openfire.cluster.ClusterNodeInfo;
import org.jivesoftware.openfire.cluster.NodeID;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.jivesoftware.openfire.session.RemoteSessionLocator;
import org.mockito.MockedStatic;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

/**
 * An Openfire 5.1.1 cluster in one JVM, modelled at the seam where the plugin meets it, with the plugin's real classes
 * on every node (engine, tracker, interceptor, directory, state, occupancy, cluster listener and remote-delivery watch).
 * <p>
 * What is modelled, and from which Openfire 5.1.1 source:
 * <ul>
 *     <li>Hazelcast caches: one map per cache, shared by all nodes (ClusteredCache). A cluster join or leave empties
 *     them (CacheFactory.joinedCluster / leftCluster, "purge content").</li>
 *     <li>Client routes: usersCache (full JID to owning node, every bound session) and the available sessions
 *     (usersSessionsCache) shared by all nodes (RoutingTableImpl.addClientRoute, getRoutes).</li>
 *     <li>MessageRouter.route: interceptors (incoming, not processed), RoutingTable.routePacket, interceptors
 *     (incoming, processed), on the node where the stanza entered.</li>
 *     <li>RoutingTableImpl.routeToLocalDomain: a full JID with a local route is processed by the local session; a route
 *     on another node goes to RemotePacketRouter.routePacket (ClusterPacketRouter: a RemotePacketExecution that calls
 *     routePacket on that node); no route: MessageRouter.routingFailed reroutes a chat message to the bare JID when an
 *     available session with non-negative priority exists, else it is stored offline.</li>
 *     <li>RoutingTableImpl.routeToBareJID: available sessions through getClientRoute (another node's session comes from
 *     the RemoteSessionLocator: RemoteClientSession), errors dropped, non-negative priorities, the highest priority;
 *     one of several by most recent activity unless route.all-resources, then all of them.</li>
 *     <li>RemoteClientSession.process: a ProcessPacketTask run later on the owning node, on a cluster thread, with a
 *     copy of the packet (it is serialised); LocalSession.process: interceptors (outgoing, not processed), delivery,
 *     interceptors (outgoing, processed); a PacketRejectedException stops the delivery.</li>
 *     <li>CacheFactory.startClustering installs a new RemoteSessionLocatorImpl and ClusterPacketRouter, then the
 *     ClusterManager dispatcher calls joinedCluster() on the listeners; ClusterNodeInfo lists the live members.</li>
 * </ul>
 * Not modelled: Openfire's built-in carbons (the plugin keeps them silent), presence broadcast, offline storage.
 */
final class ClusterModel implements AutoCloseable {

    static final String DOMAIN = "example.org";

    /** The caches every node shares. */
    /** Work not done yet: cluster tasks, cache events; settle() waits until there is none. */
    final AtomicInteger pendingTasks = new AtomicInteger();
    final ModelCache<String, HashMap<String, Long>> stateCache = new ModelCache<>(pendingTasks);
    final ModelCache<String, java.util.AbstractMap.SimpleImmutableEntry<String, HashMap<String, String>>> occupancyCache = new ModelCache<>(pendingTasks);
    final ModelCache<String, Long> copiedCache = new ModelCache<>(pendingTasks);
    /** usersCache: full JID to the node hosting the session. */
    final Map<String, Node> routes = new ConcurrentHashMap<>();
    /** Messages delivered to each full JID, in order; and what went to other servers or offline storage. */
    final Map<String, List<Message>> inboxes = new ConcurrentHashMap<>();
    final List<Packet> leftTheServer = new ArrayList<>();
    final List<Message> storedOffline = new ArrayList<>();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<Throwable> failures = new ArrayList<>();
    /** Clients whose connection Openfire closed because routing their stanza threw an Error. */
    final List<String> closedConnections = new ArrayList<>();
    boolean allResources;
    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger streams = new AtomicInteger();
    private final ThreadLocal<Node> eventFor = new ThreadLocal<>();
    private final MockedStatic<ClusterManager> clusterManager;

    /** Whether the nodes keep node-local copies of the others' state from the caches' events (the plugin as shipped). */
    final boolean cacheEvents;

    ClusterModel() {
        this(true);
    }

    /** @param cacheEvents false: the nodes read the other nodes' state from the caches, as an Openfire without events */
    ClusterModel(boolean cacheEvents) {
        this.cacheEvents = cacheEvents;
        // ClusterManager's static view of the cluster, answered for the node whose listener runs.
        clusterManager = mockStatic(ClusterManager.class);
        clusterManager.when(ClusterManager::isClusteringStarted).thenAnswer(i -> eventFor.get() != null && eventFor.get().member);
        clusterManager.when(ClusterManager::isSeniorClusterMember).thenAnswer(i -> senior() == eventFor.get());
        clusterManager.when(ClusterManager::getNodesInfo).thenAnswer(i -> members().stream().map(Node::info).toList());
    }

    /** A node with the plugin loaded (or not yet), a member of the cluster. */
    Node node(String name, boolean withPlugin) {
        final Node node = new Node(name);
        nodes.put(name, node);
        node.member = true;
        for (Node other : members()) {
            if (other != node && other.cluster != null) {
                other.event(() -> other.cluster.joinedCluster(node.id.toByteArray()));
            }
        }
        if (withPlugin) {
            node.loadPlugin();
        }
        return node;
    }

    List<Node> members() {
        return nodes.values().stream().filter(n -> n.member).toList();
    }

    /** The oldest live member (Hazelcast's senior member). */
    Node senior() {
        return members().isEmpty() ? null : members().get(0);
    }

    /** The node dies and Openfire has noticed: {@link #die}, then {@link #noticeDeath}. */
    void kill(Node dead) {
        settle();
        final Node oldSenior = senior();
        die(dead);
        noticeDeath(dead, oldSenior);
    }

    /**
     * The node dies without a goodbye (kill -9, power loss): Hazelcast drops it from its members at once, but its
     * routes are still listed (usersCache, usersSessionsCache) until Openfire's cluster listener removes them, about
     * 0.4 s later on a real cluster. Its sessions are unreachable.
     */
    void die(Node dead) {
        dead.member = false;
    }

    /**
     * Openfire noticed the death: RoutingTableImpl.leftCluster(nodeID) removes its routes (its sessions vanish without
     * any session event) and the others' listeners are told it left; the next senior member learns it is senior.
     */
    void noticeDeath(Node dead, Node oldSenior) {
        // Only the routes the dead node still owns: a client that reconnected elsewhere owns its full JID there now.
        dead.sessions.keySet().forEach(address -> routes.remove(address, dead));
        dead.sessions.clear();
        for (Node survivor : members()) {
            if (survivor.cluster != null) {
                survivor.event(() -> survivor.cluster.leftCluster(dead.id.toByteArray()));
                if (oldSenior == dead && senior() == survivor) {
                    survivor.event(() -> survivor.cluster.markedAsSeniorClusterMember());
                }
            }
        }
    }

    /**
     * Hazelcast restarts on a node: it leaves (its caches turn node-local; the others are told it left and the senior
     * cleans up after it), then joins again as the youngest member: Openfire installs a new router and locator and
     * swaps in the cluster's caches, whose content the remaining members kept (emptied only when nobody remained).
     */
    void rejoin(Node node) {
        settle();
        final Node oldSenior = senior();
        node.member = false;
        node.event(() -> node.cluster.leftCluster());
        for (Node survivor : members()) {
            survivor.event(() -> survivor.cluster.leftCluster(node.id.toByteArray()));
            if (oldSenior == node && senior() == survivor) {
                survivor.event(() -> survivor.cluster.markedAsSeniorClusterMember());
            }
        }
        if (members().isEmpty()) {
            purgeCaches();
        }
        nodes.remove(node.name);
        nodes.put(node.name, node);
        node.member = true;
        node.installClusterRouting();
        node.event(() -> node.cluster.joinedCluster());
        for (Node other : members()) {
            if (other != node) {
                other.event(() -> other.cluster.joinedCluster(node.id.toByteArray()));
            }
        }
    }

    void purgeCaches() {
        stateCache.clear();
        occupancyCache.clear();
        copiedCache.clear();
    }

    /** Waits until every cluster task (and the tasks those started) has run. */
    void settle() {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pendingTasks.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster tasks did not finish");
            }
            Thread.onSpinWait();
        }
        synchronized (failures) {
            if (!failures.isEmpty()) {
                throw new AssertionError("a cluster task failed", failures.get(0));
            }
        }
    }

    /** Everything delivered to this full JID. */
    List<Message> inbox(JID resource) {
        return inboxes.getOrDefault(resource.toFullJID(), List.of());
    }

    /** How often the resource got the message with this body: as the original, and wrapped in a carbon. */
    int originals(JID resource, String body) {
        return (int) inbox(resource).stream().filter(m -> !isCarbon(m) && body.equals(m.getBody())).count();
    }

    int carbons(JID resource, String body, String direction) {
        return (int) inbox(resource).stream().filter(m -> body.equals(carbonBody(m, direction))).count();
    }

    static boolean isCarbon(Message message) {
        return message.getElement().element(org.dom4j.QName.get("received", Namespaces.CARBONS)) != null
            || message.getElement().element(org.dom4j.QName.get("sent", Namespaces.CARBONS)) != null;
    }

    static String carbonBody(Message message, String direction) {
        final org.dom4j.Element wrapper = message.getElement().element(org.dom4j.QName.get(direction, Namespaces.CARBONS));
        if (wrapper == null) {
            return null;
        }
        final org.dom4j.Element forwarded = wrapper.element("forwarded");
        final org.dom4j.Element inner = forwarded == null ? null : forwarded.element("message");
        return inner == null ? null : inner.elementText("body");
    }

    @Override
    public void close() {
        nodes.values().forEach(Node::shutdown);
        List.of(stateCache, occupancyCache, copiedCache).forEach(ModelCache::close);
        clusterManager.close();
    }

    /** Reads and writes of the shared caches since the counts were reset: what would cross the network. */
    long cacheReads() {
        return stateCache.reads.get() + occupancyCache.reads.get() + copiedCache.reads.get();
    }

    void resetCacheCounts() {
        List.of(stateCache, occupancyCache, copiedCache).forEach(ModelCache::resetCounts);
    }

    /** One Openfire node. */
    final class Node {
        final String name;
        final NodeID id;
        final Map<String, ModelSession> sessions = new ConcurrentHashMap<>();
        final XMPPServer server = mock(XMPPServer.class);
        final RoutingTable routingTable = mock(RoutingTable.class);
        final SessionManager sessionManager = mock(SessionManager.class);
        final AtomicReference<RemotePacketRouter> remotePacketRouter = new AtomicReference<>();
        final AtomicReference<RemoteSessionLocator> remoteSessionLocator = new AtomicReference<>();
        final ExecutorService clusterThread;
        final ExecutorService publisher;
        volatile boolean member;
        /** Still a member for Hazelcast, but its cluster tasks fail (killed, not yet dropped from the member list). */
        volatile boolean unresponsive;
        // The plugin on this node, once loaded.
        CarbonsCluster cluster;
        CarbonsState state;
        NodeOwnedMap<HashMap<String, String>> joins;
        CarbonsEngine engine;
        RoutingTracker tracker;
        CarbonsInterceptor interceptor;
        CarbonsActivation activation;
        CarbonsStatistics statistics;
        CarbonsSessionListener sessionListener;

        Node(String name) {
            this.name = name;
            this.id = NodeID.getInstance(("node-" + name).getBytes(StandardCharsets.UTF_8));
            this.clusterThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "cluster-" + name));
            this.publisher = Executors.newSingleThreadExecutor(r -> new Thread(r, "publisher-" + name));
            when(server.getNodeID()).thenReturn(id);
            when(server.getRoutingTable()).thenReturn(routingTable);
            when(routingTable.getRemotePacketRouter()).thenAnswer(i -> remotePacketRouter.get());
            doAnswer(i -> {
                remotePacketRouter.set(i.getArgument(0));
                return null;
            }).when(routingTable).setRemotePacketRouter(any());
            when(server.getRemoteSessionLocator()).thenAnswer(i -> remoteSessionLocator.get());
            doAnswer(i -> {
                remoteSessionLocator.set(i.getArgument(0));
                return null;
            }).when(server).setRemoteSessionLocator(any());
            // SessionManager.getSession(JID) and getSessions(username) go through the routing table (5.1.1).
            when(sessionManager.getSession(any(JID.class))).thenAnswer(i -> clientRoute(i.getArgument(0)));
            when(sessionManager.getSessions(anyString())).thenAnswer(i -> availableSessions(new JID(i.getArgument(0), DOMAIN, null)));
            installClusterRouting();
        }

        ClusterNodeInfo info() {
            final ClusterNodeInfo info = mock(ClusterNodeInfo.class);
            when(info.getNodeID()).thenReturn(id);
            return info;
        }

        /** CacheFactory.startClustering: a new ClusterPacketRouter and RemoteSessionLocatorImpl. */
        void installClusterRouting() {
            remotePacketRouter.set(new RemotePacketRouter() {
                @Override
                public boolean routePacket(byte[] nodeID, JID recipient, Packet packet) {
                    final Node target = anyById(nodeID);
                    if (target == null || !target.member) {
                        // ClusteredCacheFactory.doClusterTask (Hazelcast plugin 5.5): "Requested node ... not found in
                        // cluster"; ClusterPacketRouter catches IllegalStateException only.
                        throw new IllegalArgumentException("Requested node " + (target == null ? "?" : target.name) + " not found in cluster");
                    }
                    final Packet copy = packet.createCopy();
                    target.runClusterTask(() -> target.routePacket(recipient, copy));
                    return true;
                }

                @Override
                public void broadcastPacket(Message packet) {
                }
            });
            remoteSessionLocator.set(mock(RemoteSessionLocator.class, i -> {
                if (i.getMethod().getName().equals("getClientSession")) {
                    // RemoteSessionLocatorImpl: a new RemoteClientSession for any node ID, member or not.
                    final Node owner = anyById(i.getArgument(0));
                    return owner == null ? null : owner.remoteView(i.getArgument(1), Node.this);
                }
                return null;
            }));
        }

        /** The plugin's wiring on this node, as CarbonsService builds it, and its start. */
        void loadPlugin() {
            tracker = new RoutingTracker();
            cluster = new CarbonsCluster(server, new RemoteDeliveryWatch(tracker, ClusterModel.this::isMember));
            state = cacheEvents ? new CarbonsState(stateCache, stateCache, cluster) : new CarbonsState(stateCache, cluster);
            joins = cacheEvents ? new NodeOwnedMap<>(occupancyCache, occupancyCache, cluster) : new NodeOwnedMap<>(occupancyCache, cluster);
            cluster.share(state);
            cluster.share(joins);
            statistics = new CarbonsStatistics();
            final OpenfireDirectory directory = new OpenfireDirectory(DOMAIN, sessionManager, null, state);
            final MucOccupancy occupancy = new MucOccupancy(joins);
            // As CarbonsService: ids kept node-locally, published to the shared cache on a thread of the node's own
            // (BatchPublisher), looked up there for an error this node did not see the original of.
            final CopiedMessages copied = new CopiedMessages(new RecentMap<>(1_000, 300_000), cluster::clustered,
                (key, sides) -> publish(() -> copiedCache.put(key, sides)), copiedCache::get);
            engine = new CarbonsEngine(directory, occupancy, copied, RuleSettings.DEFAULTS, statistics);
            sessionListener = new CarbonsSessionListener(state, occupancy, statistics, sessionManager);
            interceptor = new CarbonsInterceptor(engine, tracker, sessionManager, directory);
            activation = new CarbonsActivation(state, sessionManager);
            event(() -> cluster.start());
        }

        /** Runs a cluster event for this node's listener, as ClusterManager's dispatcher would. */
        void event(Runnable event) {
            eventFor.set(this);
            try {
                event.run();
            } finally {
                eventFor.remove();
            }
        }

        /** A client binds a resource on this node (usersCache entry; available once it sends presence). */
        ModelSession connect(String user, String resource) {
            final ModelSession session = new ModelSession(this, new JID(user, DOMAIN, resource));
            sessions.put(session.address.toFullJID(), session);
            routes.put(session.address.toFullJID(), this);
            // SessionManager fires resourceBound on the node where the session binds.
            if (sessionListener != null) {
                sessionListener.resourceBound(session.local);
            }
            return session;
        }

        /** The session closes: its routes go, then SessionManager fires sessionDestroyed on its node. */
        void disconnect(ModelSession session) {
            if (sessions.remove(session.address.toFullJID(), session)) {
                routes.remove(session.address.toFullJID(), this);
            }
            when(session.local.isClosed()).thenReturn(true);
            if (sessionListener != null) {
                sessionListener.sessionDestroyed(session.local);
            }
            settle(); // the other nodes learn it from the cache's events, a moment later
        }

        /** RoutingTableImpl.getClientRoute: this node's session, or another node's through the session locator. */
        ClientSession clientRoute(JID address) {
            final ModelSession local = sessions.get(address.toFullJID());
            if (local != null) {
                return local.local;
            }
            final Node owner = routes.get(address.toFullJID());
            final RemoteSessionLocator locator = remoteSessionLocator.get();
            return owner == null || locator == null ? null : locator.getClientSession(owner.id.toByteArray(), address);
        }

        /**
         * RoutingTableImpl.getRoutes(bare JID): the available sessions, cluster-wide, as usersSessionsCache lists them
         * (also those of a node that died, until Openfire removed its routes), each through getClientRoute.
         */
        List<ClientSession> availableSessions(JID user) {
            final List<ClientSession> result = new ArrayList<>();
            for (Node node : nodes.values()) {
                for (ModelSession session : node.sessions.values()) {
                    if (session.available && session.address.getNode().equals(user.getNode())
                        && routes.get(session.address.toFullJID()) == node) {
                        final ClientSession route = clientRoute(session.address);
                        if (route != null) {
                            result.add(route);
                        }
                    }
                }
            }
            return result;
        }

        /**
         * What the viewing node holds for this node's session: a new RemoteClientSession (RemoteSession in 5.1.1). Its
         * process() is a cluster task (doClusterTask: ProcessPacketTask, run later on this node); getStreamID (cached once
         * known) and getLastActiveDate are synchronous cluster tasks (doSynchronousClusterTask), with Openfire's handling
         * of a node that is no longer a member.
         */
        ClientSession remoteView(JID address, Node viewer) {
            final ClientSession remote = mock(ClientSession.class);
            final StreamID[] streamId = new StreamID[1];
            when(remote.getAddress()).thenReturn(address);
            when(remote.getStreamID()).thenAnswer(i -> {
                if (streamId[0] == null) {
                    streamId[0] = (StreamID) viewer.synchronousTask(this, address, session -> session.local.getStreamID());
                }
                return streamId[0];
            });
            when(remote.getLastActiveDate()).thenAnswer(i -> viewer.synchronousTask(this, address, session -> new Date(session.lastActive)));
            doAnswer(i -> {
                if (!member) {
                    // RemoteSession.doClusterTask: a ProcessPacketTask is no RemoteSessionTask, so it goes to Hazelcast,
                    // which does not find the node.
                    throw new IllegalArgumentException("Requested node " + name + " not found in cluster");
                }
                final Packet copy = ((Packet) i.getArgument(0)).createCopy();
                runClusterTask(() -> {
                    final ModelSession session = sessions.get(address.toFullJID());
                    if (session != null) {
                        session.local.process(copy);
                    }
                });
                return null;
            }).when(remote).process(any(Packet.class));
            return remote;
        }

        /**
         * RemoteSession.doSynchronousClusterTask, called on this node for a session of the owner: the answer of the owner
         * node; when the owner is no longer a member (CacheFactory.getClusterNodeInfo is null), the session is looked up
         * again (ClientSessionTask.getSession: RoutingTable.getClientRoute) and, when found, removed
         * (SessionManager.removeSession(null, address, false, false)), and the answer is null.
         */
        Object synchronousTask(Node owner, JID address, java.util.function.Function<ModelSession, Object> operation) {
            if (owner.unresponsive) {
                // ClusteredCacheFactory.doSynchronousClusterTask: the task failed or timed out; logged, answered null.
                return null;
            }
            if (!owner.member) {
                if (clientRoute(address) != null) {
                    removeSession(address);
                }
                return null;
            }
            final ModelSession session = owner.sessions.get(address.toFullJID());
            return session == null ? null : operation.apply(session);
        }

        /**
         * SessionManager.removeSession(null, fullJID, ...) in 5.1.1 (OF-3318): the session is looked up, and the route
         * owner too, and only the owner's route is removed, judged by comparing their stream IDs.
         */
        boolean removeSession(JID fullJid) {
            final ClientSession session = clientRoute(fullJid);
            if (session == null) {
                return false;
            }
            final ClientSession current = clientRoute(fullJid);
            final boolean ownsRoute = current != null && java.util.Objects.equals(session.getStreamID(), current.getStreamID());
            if (ownsRoute) {
                routes.remove(fullJid.toFullJID());
            }
            return ownsRoute;
        }

        /** The node's publishing thread (BatchPublisher), whose work settle() waits for. */
        void publish(Runnable write) {
            pendingTasks.incrementAndGet();
            publisher.execute(() -> {
                try {
                    write.run();
                } finally {
                    pendingTasks.decrementAndGet();
                }
            });
        }

        void runClusterTask(Runnable task) {
            pendingTasks.incrementAndGet();
            clusterThread.execute(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    pendingTasks.decrementAndGet();
                }
            });
        }

        /** MessageRouter.route for a stanza a client of this node sent. */
        void route(ModelSession sender, Packet packet) {
            packet.setFrom(sender.address);
            try {
                intercept(packet, sender.local, true, false);
            } catch (PacketRejectedException e) {
                return;
            }
            final JID to = packet.getTo() != null ? packet.getTo() : sender.address.asBareJID();
            try {
                try {
                    routePacket(to, packet);
                } catch (Exception e) {
                    if (packet instanceof Message message) {
                        routingFailed(to, message);
                    }
                }
                intercept(packet, sender.local, true, true);
            } catch (PacketRejectedException e) {
                // Openfire ignores a rejection after routing.
            } catch (Error e) {
                // Past MessageRouter.route (which catches Exception): the connection handler closes the sender's
                // stream with internal-server-error.
                synchronized (closedConnections) {
                    closedConnections.add(sender.address + ": " + e);
                }
            }
        }

        /** A stanza from another server (or a component) entering on this node. */
        void routeFromOutside(Packet packet) {
            try {
                intercept(packet, null, true, false);
            } catch (PacketRejectedException e) {
                return;
            }
            routePacket(packet.getTo(), packet);
            try {
                intercept(packet, null, true, true);
            } catch (PacketRejectedException e) {
                // ignored, as above
            }
        }

        void intercept(Packet packet, ClientSession session, boolean incoming, boolean processed) throws PacketRejectedException {
            if (interceptor != null) {
                interceptor.interceptPacket(packet, session, incoming, processed);
            }
        }

        /** RoutingTableImpl.routePacket for this node. */
        void routePacket(JID to, Packet packet) {
            if (to.getNode() == null || !DOMAIN.equals(to.getDomain())) {
                synchronized (leftTheServer) {
                    leftTheServer.add(packet);
                }
                return;
            }
            final boolean routed = to.getResource() == null ? routeToBareJID(to, (Message) packet) : routeToFullJID(to, packet);
            if (!routed && packet instanceof Message message) {
                routingFailed(to, message);
            }
        }

        private boolean routeToFullJID(JID to, Packet packet) {
            final Node owner = routes.get(to.toFullJID());
            if (owner == null) {
                return false;
            }
            if (owner == this) {
                sessions.get(to.toFullJID()).local.process(packet);
                return true;
            }
            final RemotePacketRouter router = remotePacketRouter.get();
            return router != null && router.routePacket(owner.id.toByteArray(), to, packet);
        }

        private boolean routeToBareJID(JID to, Message message) {
            final List<ClientSession> candidates = availableSessions(to);
            if (message.getType() == Message.Type.error) {
                return true;
            }
            final List<ClientSession> nonNegative = candidates.stream().filter(s -> priority(s) >= 0).toList();
            if (nonNegative.isEmpty()) {
                return false;
            }
            final int highest = nonNegative.stream().mapToInt(this::priority).max().orElseThrow();
            final List<ClientSession> top = nonNegative.stream().filter(s -> priority(s) == highest).toList();
            if (top.size() == 1) {
                top.get(0).process(message);
            } else if (!allResources) {
                // The session with the most recent activity: a synchronous call on each remote session.
                final List<ClientSession> targets = new ArrayList<>(top);
                targets.sort((o1, o2) -> o2.getLastActiveDate().compareTo(o1.getLastActiveDate()));
                targets.get(0).process(message);
            } else {
                top.forEach(s -> s.process(message));
            }
            return true;
        }

        private void routingFailed(JID to, Message message) {
            if (message.getType() == Message.Type.chat && to.getResource() != null
                && availableSessions(to.asBareJID()).stream().anyMatch(s -> priority(s) >= 0)) {
                routePacket(to.asBareJID(), message);
                return;
            }
            synchronized (storedOffline) {
                storedOffline.add(message);
            }
        }

        private int priority(ClientSession session) {
            return modelSession(session.getAddress()).priority;
        }

        void shutdown() {
            clusterThread.shutdownNow();
            publisher.shutdownNow();
        }
    }

    ModelSession modelSession(JID address) {
        final Node owner = routes.get(address.toFullJID());
        return owner == null ? null : owner.sessions.get(address.toFullJID());
    }

    /** Any node ever started with this ID, member or not. */
    Node anyById(byte[] nodeID) {
        for (Node node : nodes.values()) {
            if (node.id.equals(nodeID)) {
                return node;
            }
        }
        return null;
    }

    /** CacheFactory.getClusterNodeInfo(nodeID) != null: the Hazelcast plugin answers from its current member list. */
    boolean isMember(byte[] nodeID) {
        final Node node = anyById(nodeID);
        return node != null && node.member;
    }

    Node byId(byte[] nodeID) {
        for (Node node : members()) {
            if (node.id.equals(nodeID)) {
                return node;
            }
        }
        return null;
    }

    /** A client session on its node: LocalClientSession there. */
    final class ModelSession {
        final Node node;
        final JID address;
        final String streamId = "stream-" + streams.incrementAndGet();
        final LocalClientSession local = mock(LocalClientSession.class);
        volatile boolean available;
        volatile int priority;
        volatile long lastActive = clock.incrementAndGet();

        ModelSession(Node node, JID address) {
            this.node = node;
            this.address = address;
            final StreamID stream = mock(StreamID.class);
            when(stream.getID()).thenReturn(streamId);
            when(local.getAddress()).thenReturn(address);
            when(local.getStreamID()).thenReturn(stream);
            when(local.getLastActiveDate()).thenAnswer(i -> new Date(lastActive));
            // LocalSession.process: outgoing interceptors around the delivery; a rejection stops it.
            doAnswer(i -> {
                final Packet packet = i.getArgument(0);
                try {
                    node.intercept(packet, local, false, false);
                } catch (PacketRejectedException e) {
                    return null;
                }
                if (packet instanceof Message message) {
                    inboxes.computeIfAbsent(address.toFullJID(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(message);
                }
                node.intercept(packet, local, false, true);
                return null;
            }).when(local).process(any(Packet.class));
        }

        /** Sends available presence with this priority (usersSessionsCache now lists the session). */
        ModelSession available(int priority) {
            this.priority = priority;
            this.available = true;
            return this;
        }

        /** The client enables carbons: the plugin's IQ handler calls CarbonsActivation.apply on the session's node. */
        ModelSession enableCarbons() {
            node.activation.apply(local, true);
            settle(); // the other nodes learn it from the cache's events, a moment later
            return this;
        }

        /** The client was active last of all its user's sessions (RoutingTableImpl picks it among equals). */
        ModelSession mostRecentlyActive() {
            lastActive = clock.incrementAndGet();
            return this;
        }

        Message chat(JID to, String body) {
            final Message message = new Message();
            message.setType(Message.Type.chat);
            message.setTo(to);
            message.setBody(body);
            message.setID("id-" + body);
            node.route(this, message);
            return message;
        }

        /** Joins a MUC room of another server under this nick (XEP-0045 presence with the muc extension). */
        void join(JID room, String nick) {
            final Presence presence = new Presence();
            presence.setTo(new JID(room.getNode(), room.getDomain(), nick));
            presence.addChildElement("x", "http://jabber.org/protocol/muc");
            node.route(this, presence);
            settle();
        }
    }

    /** Resources that got this body more than once, or a copy of their own message. */
    Collection<String> duplicates(String body) {
        final List<String> duplicates = new ArrayList<>();
        inboxes.forEach((resource, messages) -> {
            final long count = messages.stream().filter(m -> body.equals(m.getBody()) || body.equals(carbonBody(m, "received"))
                || body.equals(carbonBody(m, "sent"))).count();
            if (count > 1) {
                duplicates.add(resource + " x" + count);
            }
        });
        return duplicates;
    }
}
