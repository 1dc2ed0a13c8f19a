package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.dom4j.Element;
import org.dom4j.QName;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonCopy;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonGuard;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonWrapper;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.engine.InFlightMessage;
import org.igniterealtime.openfire.plugins.carbons.engine.Incident;
import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

import java.util.List;

/**
 * Hooks the engine into Openfire's routing. Openfire calls interceptors for every stanza it handles:
 * before and after routing a stanza it received ("incoming"), and before and after delivering a stanza
 * to a session ("outgoing"). Messages are judged before routing, followed through routing to see which
 * resources got the original (RFC 6121 delivery as Openfire really did it), and copied once after.
 */
public final class CarbonsInterceptor implements PacketInterceptor {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsInterceptor.class);
    private static final QName PRIVATE = QName.get("private", Namespaces.CARBONS);

    private final CarbonsEngine engine;
    private final RoutingTracker tracker;
    private final SessionManager sessionManager;
    private final CarbonsDirectory directory;
    /** Openfire's XEP-0352 delay queue, or null where Openfire has none the plugin knows. */
    private final ClientStateIndication clientState;

    public CarbonsInterceptor(CarbonsEngine engine, RoutingTracker tracker, SessionManager sessionManager, CarbonsDirectory directory) {
        this(engine, tracker, sessionManager, directory, null);
    }

    public CarbonsInterceptor(CarbonsEngine engine, RoutingTracker tracker, SessionManager sessionManager, CarbonsDirectory directory,
                       ClientStateIndication clientState) {
        this.engine = engine;
        this.tracker = tracker;
        this.sessionManager = sessionManager;
        this.directory = directory;
        this.clientState = clientState;
    }

    @Override
    public void interceptPacket(Packet packet, Session session, boolean incoming, boolean processed)
        throws PacketRejectedException {
        // Every stanza of the server passes here: IQs leave at once, presences only matter between a user and a room.
        if (packet instanceof Message) {
            message((Message) packet, session, incoming, processed);
        } else if (packet instanceof Presence && !processed && session instanceof ClientSession) {
            presence((Presence) packet, session, incoming);
        }
    }

    private void message(Message message, Session session, boolean incoming, boolean processed) throws PacketRejectedException {
        try {
            if (incoming) {
                if (!processed) {
                    // A bounce addressed to the user's bare JID is stopped before routing: counted once, rather than
                    // once per resource it would be forked to, and kept out of offline storage. beforeDelivery()
                    // catches every other bounce.
                    if (CarbonGuard.isBouncedCarbon(message) && message.getTo() != null && message.getTo().getResource() == null) {
                        bounced(message);
                    }
                    final InFlightMessage inFlight = engine.beforeRouting(message);
                    if (inFlight != null) {
                        tracker.routingStarted(inFlight);
                        if (Log.isDebugEnabled()) {
                            Log.debug("Message {} from {} to {}: as sent {}, as received {}", message.getID(),
                                message.getFrom(), message.getTo(), inFlight.asSent(), inFlight.asReceived());
                        }
                    }
                } else {
                    final InFlightMessage routed = tracker.routingFinished(message);
                    if (routed != null) {
                        deliver(engine.afterRouting(routed));
                    }
                }
            } else if (session instanceof ClientSession) {
                if (!processed) {
                    beforeDelivery(message, (ClientSession) session);
                } else {
                    tracker.delivered(message, session.getAddress());
                }
            }
        } catch (RuntimeException | Error e) {
            // Carbons are a courtesy: a failure here must never stop the original from being routed. An Error too: one
            // that escaped would reach the connection of the client whose stanza this is, which Openfire then closes
            // (MessageRouter.route and LocalSession.process catch Exception only).
            Log.warn("Message carbons could not be processed for {}", message.toXML(), e);
        }
    }

    /**
     * Last look before a message reaches a client; runs for every message delivered to a client, so it costs one pass
     * over the message's own children (nothing for the copies this plugin made).
     */
    private void beforeDelivery(Message message, ClientSession session) throws PacketRejectedException {
        if (CarbonWrapper.isCopy(message)) {
            return;
        }
        final JID recipient = session.getAddress();
        final int found = CarbonGuard.inspect(message);
        if ((found & CarbonGuard.PRIVATE) != 0) {
            stripPrivate(message);
        }
        if ((found & CarbonGuard.CARBON) != 0 || message.getType() == Message.Type.error) {
            if (CarbonGuard.isBouncedCarbon(message)) {
                bounced(message);
            }
            if ((found & CarbonGuard.CARBON) != 0) {
                if (CarbonGuard.isForgedFor(message, recipient)) {
                    forged(message, recipient);
                } else {
                    atOnceIfUrgent(message, session);
                }
            }
        }
        // The original of a message this thread routes, reaching its addressee: the received copies go ahead of it.
        final InFlightMessage inFlight = tracker.inFlight(message);
        if (inFlight != null) {
            deliver(engine.atDelivery(inFlight, recipient));
        } else if ((found & CarbonGuard.CARBON) == 0) {
            engine.arrivedFromAnotherNode(message, recipient);
        }
    }

    /**
     * A genuine carbon that this node did not make as a {@link CarbonCopy}: one the plugin made on another cluster node
     * (the cluster task, RemoteSession.process's ProcessPacketTask or ClusterPacketRouter's RemotePacketExecution,
     * carries the element only, so it arrives as a plain Message), or one of Openfire's built-in carbons while carbons
     * change hands. To an inactive session, where its forwarded message is urgent, it is delivered again as a copy that
     * Openfire delivers at once, and this delivery stops here: the session gets it once. The new delivery is
     * LocalSession.process in full (privacy lists, interceptors, CSI queue, stream management); the interceptors before
     * this one in Openfire's list have seen the plain one before it too.
     */
    private void atOnceIfUrgent(Message carbon, ClientSession session) throws PacketRejectedException {
        if (clientState == null || !engine.settings().promptToInactive() || !clientState.inactive(session)) {
            return;
        }
        final CarbonCopy copy = CarbonCopy.of(carbon, clientState);
        if (copy != null && copy.urgent()) {
            session.process(copy);
            throw new PacketRejectedException("carbon delivered again, as urgent as the message it forwards");
        }
    }

    /** §10.3: an error answering a carbon copy concerns nobody; it is neither delivered nor copied. */
    private void bounced(Message message) throws PacketRejectedException {
        engine.statistics().incident(Incident.BOUNCED_CARBON_DROPPED, 1);
        Log.debug("Dropping an error that answers a carbon copy: {}", message.toXML());
        throw new PacketRejectedException("error answering a carbon copy");
    }

    /** §11: a carbon that does not come from the recipient's own bare JID is a forgery. */
    private void forged(Message message, JID recipient) throws PacketRejectedException {
        final ForgeryMode mode = engine.settings().forgeryMode();
        Log.info("Forged carbon from {} to {} ({})", message.getFrom(), recipient, mode.name().toLowerCase());
        switch (mode) {
            case DROP -> {
                engine.statistics().incident(Incident.FORGED_CARBON_DROPPED, 1);
                throw new PacketRejectedException("forged carbon");
            }
            case STRIP -> {
                engine.statistics().incident(Incident.FORGED_CARBON_STRIPPED, 1);
                CarbonGuard.strip(message);
            }
            case PASS -> engine.statistics().incident(Incident.FORGED_CARBON_PASSED, 1);
        }
    }

    /** Follows the user's resources in and out of MUC rooms (XEP-0045 presence). */
    private void presence(Presence presence, Session session, boolean incoming) {
        try {
            if (incoming) {
                final JID to = presence.getTo();
                if (to != null && to.getNode() != null && to.getResource() != null
                    && (presence.getType() == null || presence.getType() == Presence.Type.unavailable)) {
                    engine.occupancy().presenceToRoom(presence, session.getAddress(), directory.isMucService(to));
                }
            } else if (presence.getType() == Presence.Type.unavailable || presence.getType() == Presence.Type.error) {
                engine.occupancy().presenceFromRoom(presence, session.getAddress());
            }
        } catch (RuntimeException | Error e) {
            Log.warn("MUC presence could not be followed for {}", presence.toXML(), e);
        }
    }

    /**
     * XEP-0280 §9: "the receiving server SHOULD remove the &lt;private/&gt; element before delivering to the
     * recipient". Runs after eligibility was decided, which saw the element.
     */
    private static void stripPrivate(Message message) {
        final Element element = message.getElement();
        final Element privateElement = element.element(PRIVATE);
        if (privateElement != null) {
            element.remove(privateElement);
        }
    }

    private void deliver(List<Message> copies) {
        for (Message copy : copies) {
            try {
                final ClientSession target = sessionManager.getSession(copy.getTo());
                if (target != null) {
                    // Straight to the session, not through the router: a copy for a resource that just went away
                    // must not be rerouted to the bare JID (RFC 6121 §8.5.3.2.1) and reach the others twice. A session
                    // on another cluster node is a RemoteClientSession there: its process() is a cluster task.
                    target.process(copy);
                }
            } catch (RuntimeException e) {
                // One unreachable target (a cluster node that just died) must not cost the other targets their copy.
                Log.debug("Carbon copy for {} not delivered", copy.getTo(), e);
            } catch (Error e) {
                // Nor the sender its connection: this runs on the thread that routes the sender's stanza.
                Log.warn("Carbon copy for {} not delivered", copy.getTo(), e);
            }
        }
    }
}
