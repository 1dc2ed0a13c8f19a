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
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

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
 */
public final class RemoteDeliveryWatch {

    private final RoutingTracker tracker;
    private WatchingPacketRouter router;
    private WatchingSessionLocator locator;

    public RemoteDeliveryWatch(RoutingTracker tracker) {
        this.tracker = tracker;
    }

    /** Wraps what Openfire installed for clustering; nothing when it installed nothing (not clustered). */
    synchronized void install(XMPPServer server) {
        final RoutingTable routingTable = server.getRoutingTable();
        final RemotePacketRouter currentRouter = routingTable.getRemotePacketRouter();
        if (currentRouter != null && currentRouter != router) {
            router = new WatchingPacketRouter(currentRouter, tracker);
            routingTable.setRemotePacketRouter(router);
        }
        final RemoteSessionLocator currentLocator = server.getRemoteSessionLocator();
        if (currentLocator != null && currentLocator != locator) {
            locator = new WatchingSessionLocator(currentLocator, tracker);
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

    /** Full JIDs handed to another node count as having the original once Openfire accepted the hand-off. */
    public static final class WatchingPacketRouter implements RemotePacketRouter {

        final RemotePacketRouter delegate;
        private final RoutingTracker tracker;

        WatchingPacketRouter(RemotePacketRouter delegate, RoutingTracker tracker) {
            this.delegate = delegate;
            this.tracker = tracker;
        }

        @Override
        public boolean routePacket(byte[] nodeID, JID recipient, Packet packet) {
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

    /** Hands out another node's client sessions with their process(packet) watched; everything else unchanged. */
    public static final class WatchingSessionLocator implements RemoteSessionLocator {

        final RemoteSessionLocator delegate;
        private final RoutingTracker tracker;

        WatchingSessionLocator(RemoteSessionLocator delegate, RoutingTracker tracker) {
            this.delegate = delegate;
            this.tracker = tracker;
        }

        @Override
        public ClientSession getClientSession(byte[] nodeID, JID address) {
            final ClientSession session = delegate.getClientSession(nodeID, address);
            return session == null || address == null ? session : watched(session, address, tracker);
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
     * one would leave methods of the other unimplemented); every call is passed on unchanged.
     */
    static ClientSession watched(ClientSession session, JID address, RoutingTracker tracker) {
        final InvocationHandler handler = (proxy, method, args) -> {
            final Object result;
            try {
                result = method.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (isProcess(method, args)) {
                tracker.delivered((Packet) args[0], address);
            }
            return result;
        };
        return (ClientSession) Proxy.newProxyInstance(RemoteDeliveryWatch.class.getClassLoader(),
            new Class<?>[]{ClientSession.class}, handler);
    }

    private static boolean isProcess(Method method, Object[] args) {
        return args != null && args.length == 1 && args[0] instanceof Packet && "process".equals(method.getName());
    }
}
