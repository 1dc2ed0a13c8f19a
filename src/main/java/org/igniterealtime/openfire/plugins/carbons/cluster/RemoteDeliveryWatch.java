package org.igniterealtime.openfire.plugins.carbons.cluster;

import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.jivesoftware.openfire.RemotePacketRouter;
import org.jivesoftware.openfire.RoutingTable;
import org.jivesoftware.openfire.StreamID;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.ComponentSession;
import org.jivesoftware.openfire.session.ConnectionMultiplexerSession;
import org.jivesoftware.openfire.session.DomainPair;
import org.jivesoftware.openfire.session.IncomingServerSession;
import org.jivesoftware.openfire.session.OutgoingServerSession;
import org.jivesoftware.openfire.session.RemoteSessionLocator;
import org.jivesoftware.util.cache.CacheFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Date;
import java.util.function.Predicate;

/**
 * Lets the {@link RoutingTracker} see the originals that this node's routing hands to sessions on other cluster nodes.
 * <p>
 * A message entering on this node is routed here, on this thread, but a session on another node gets it there: the
 * interceptor calls for that delivery happen on the other node, on a cluster thread, and are never seen here. Openfire
 * 5.1.1 makes such a hand-off in exactly two ways, both synchronously on the routing thread:
 * <ul>
 *     <li>a full JID whose route is on another node: RoutingTableImpl.routeToLocalDomain calls
 *     {@link RemotePacketRouter#routePacket} (ClusterPacketRouter: a RemotePacketExecution cluster task);</li>
 *     <li>a bare JID: RoutingTableImpl.routeToBareJID (and MessageRouter.routingFailed, which reroutes a message to an
 *     unavailable full JID there) picks sessions through getClientRoute, which asks the
 *     {@link RemoteSessionLocator} for another node's session (RemoteClientSession), and calls its process(packet)
 *     (RemoteSession.process: a ProcessPacketTask).</li>
 * </ul>
 * Openfire installs both when clustering starts (CacheFactory.startClustering sets a new RemoteSessionLocatorImpl and
 * ClusterPacketRouter each time) and clears them when it stops; this watch wraps whatever is installed, on start and on
 * every cluster join, and puts the originals back on stop when they are still in place.
 * <p>
 * <b>A node that is gone.</b> When a member dies, Hazelcast drops it at once (CacheFactory.getClusterNodeInfo answers
 * null), but Openfire keeps listing its routes until RoutingTableImpl.leftCluster(nodeID) runs, about 0.4 s later. In
 * that window Openfire 5.1.1 can recurse until the stack ends: any synchronous call on a RemoteClientSession of that
 * node (RemoteSession.doSynchronousClusterTask; getLastActiveDate in routeToBareJID's choice among equal sessions,
 * getStreamID, isInitialized) finds no node, looks the session up again (ClientSessionTask.getSession: getClientRoute,
 * which asks the RemoteSessionLocator for a new RemoteClientSession) and removes it (SessionManager.removeSession, which
 * looks it up once more and asks the new object for its stream ID: the same call to the same dead node, and so on). The
 * StackOverflowError escapes MessageRouter.route, which catches Exception only, and closes the sender's connection.
 * Every turn of that cycle passes through the locator, so the locator wrapped here hands out no session of a node that
 * is not a member: the verdict Openfire's own doSynchronousClusterTask reaches (no node info: an invalid session), given
 * one step earlier, and the state Openfire reaches anyway once leftCluster(nodeID) has removed the routes. Routing then
 * treats such a session as gone (routeToBareJID skips it; SessionManager.getSession answers null); a full JID routed
 * to such a node fails as a failed route (routeToLocalDomain: "Dropping invalid client route", then
 * MessageRouter.routingFailed reroutes a chat message to the bare JID or stores it) instead of Hazelcast's
 * IllegalArgumentException; and a session object handed out before the node died answers without a cluster call
 * ({@link #watched}).
 */
public final class RemoteDeliveryWatch {

    private static final Logger Log = LoggerFactory.getLogger(RemoteDeliveryWatch.class);
    /** A gone node's session is the least recently active of all: routeToBareJID never prefers it to a live one. */
    private static final long GONE_LAST_ACTIVE = 0L;

    private final RoutingTracker tracker;
    /** Whether a node ID is a member of the cluster now, as Hazelcast sees it. */
    private final Predicate<byte[]> member;
    private WatchingPacketRouter router;
    private WatchingSessionLocator locator;

    public RemoteDeliveryWatch(RoutingTracker tracker) {
        // The condition of Openfire's RemoteSession.doSynchronousClusterTask; the Hazelcast plugin answers it from its
        // member list (ClusteredCacheFactory.getClusterNodeInfo), without a network call.
        this(tracker, nodeID -> CacheFactory.getClusterNodeInfo(nodeID) != null);
    }

    /** @param member whether a node ID is a cluster member now (a model of Hazelcast's member list in tests) */
    public RemoteDeliveryWatch(RoutingTracker tracker, Predicate<byte[]> member) {
        this.tracker = tracker;
        this.member = member;
    }

    /** Wraps what Openfire installed for clustering; nothing when it installed nothing (not clustered). */
    synchronized void install(XMPPServer server) {
        final RoutingTable routingTable = server.getRoutingTable();
        final RemotePacketRouter currentRouter = routingTable.getRemotePacketRouter();
        if (currentRouter != null && currentRouter != router) {
            router = new WatchingPacketRouter(currentRouter, tracker, member);
            routingTable.setRemotePacketRouter(router);
        }
        final RemoteSessionLocator currentLocator = server.getRemoteSessionLocator();
        if (currentLocator != null && currentLocator != locator) {
            locator = new WatchingSessionLocator(currentLocator, tracker, member);
            server.setRemoteSessionLocator(locator);
        }
    }

    /** Puts Openfire's originals back where the wrappers are still installed. */
    synchronized void uninstall(XMPPServer server) {
        final RoutingTable routingTable = server.getRoutingTable();
        if (router != null && routingTable.getRemotePacketRouter() == router) {
            routingTable.setRemotePacketRouter(router.delegate);
        }
        if (locator != null && server.getRemoteSessionLocator() == locator) {
            server.setRemoteSessionLocator(locator.delegate);
        }
        router = null;
        locator = null;
    }

    /**
     * Full JIDs handed to another node count as having the original once Openfire accepted the hand-off. A hand-off
     * to a node that is no longer a member fails (false) without being tried.
     */
    public static final class WatchingPacketRouter implements RemotePacketRouter {

        final RemotePacketRouter delegate;
        private final RoutingTracker tracker;
        private final Predicate<byte[]> member;

        WatchingPacketRouter(RemotePacketRouter delegate, RoutingTracker tracker, Predicate<byte[]> member) {
            this.delegate = delegate;
            this.tracker = tracker;
            this.member = member;
        }

        @Override
        public boolean routePacket(byte[] nodeID, JID recipient, Packet packet) {
            if (!member.test(nodeID)) {
                Log.debug("Not routing to {}: its cluster node left", recipient);
                return false;
            }
            final boolean routed = delegate.routePacket(nodeID, recipient, packet);
            if (routed && recipient != null) {
                tracker.delivered(packet, recipient);
            }
            return routed;
        }

        @Override
        public void broadcastPacket(Message packet) {
            delegate.broadcastPacket(packet);
        }
    }

    /**
     * Hands out another node's client sessions with their process(packet) watched, and none of a node that is no
     * longer a member; everything else unchanged.
     */
    public static final class WatchingSessionLocator implements RemoteSessionLocator {

        final RemoteSessionLocator delegate;
        private final RoutingTracker tracker;
        private final Predicate<byte[]> member;

        WatchingSessionLocator(RemoteSessionLocator delegate, RoutingTracker tracker, Predicate<byte[]> member) {
            this.delegate = delegate;
            this.tracker = tracker;
            this.member = member;
        }

        @Override
        public ClientSession getClientSession(byte[] nodeID, JID address) {
            if (!member.test(nodeID)) {
                return null;
            }
            final ClientSession session = delegate.getClientSession(nodeID, address);
            return session == null || address == null ? session : watched(session, nodeID, address, tracker, member);
        }

        @Override
        public ComponentSession getComponentSession(byte[] nodeID, JID address) {
            return delegate.getComponentSession(nodeID, address);
        }

        @Override
        public ConnectionMultiplexerSession getConnectionMultiplexerSession(byte[] nodeID, JID address) {
            return delegate.getConnectionMultiplexerSession(nodeID, address);
        }

        @Override
        public IncomingServerSession getIncomingServerSession(byte[] nodeID, StreamID streamID) {
            return delegate.getIncomingServerSession(nodeID, streamID);
        }

        @Override
        public OutgoingServerSession getOutgoingServerSession(byte[] nodeID, DomainPair address) {
            return delegate.getOutgoingServerSession(nodeID, address);
        }
    }

    /**
     * The session, with process(packet) reported to the tracker after it succeeded. A dynamic proxy of the
     * ClientSession interface, because that interface differs between Openfire versions (a class compiled against
     * one would leave methods of the other unimplemented); every call is passed on unchanged while the session's node
     * is a member. Once it is not, two calls answer here: process(packet) fails without a cluster task (routing then
     * treats the message as not delivered: MessageRouter.routingFailed reroutes or stores it), and getLastActiveDate
     * answers the epoch, never the most recent, so that RoutingTableImpl.routeToBareJID picks a live session (Openfire's
     * answer, null, would throw in its sort; it is also the epoch when the node is still a member but its answer did
     * not come). Every other call is passed on: it finds no node, and its look-up of the
     * session again ends at the locator above, which hands out nothing, so the cycle has no second turn.
     */
    static ClientSession watched(ClientSession session, byte[] nodeID, JID address, RoutingTracker tracker, Predicate<byte[]> member) {
        final InvocationHandler handler = (proxy, method, args) -> {
            if ((isProcess(method, args) || isLastActiveDate(method)) && !member.test(nodeID)) {
                if (isLastActiveDate(method)) {
                    return new Date(GONE_LAST_ACTIVE);
                }
                throw new IllegalStateException("The cluster node of " + address + " left the cluster");
            }
            final Object result;
            try {
                result = method.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (isProcess(method, args)) {
                tracker.delivered((Packet) args[0], address);
            }
            if (result == null && isLastActiveDate(method)) {
                // The node is still a member but did not answer (RemoteSession.doSynchronousClusterTask logs the failed
                // task and answers null): seen on a real cluster in the instant before Hazelcast dropped a killed node.
                return new Date(GONE_LAST_ACTIVE);
            }
            return result;
        };
        return (ClientSession) Proxy.newProxyInstance(RemoteDeliveryWatch.class.getClassLoader(),
            new Class<?>[]{ClientSession.class}, handler);
    }

    private static boolean isLastActiveDate(Method method) {
        return method.getParameterCount() == 0 && "getLastActiveDate".equals(method.getName());
    }

    private static boolean isProcess(Method method, Object[] args) {
        return args != null && args.length == 1 && args[0] instanceof Packet && "process".equals(method.getName());
    }
}
