package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.dom4j.Element;
import org.dom4j.QName;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.InFlightMessage;
import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

import java.util.List;

/**
 * Hooks the engine into Openfire's routing. Openfire calls interceptors for every stanza it handles:
 * before and after routing a stanza it received ("incoming"), and before and after delivering a stanza
 * to a session ("outgoing"). Messages are judged before routing, followed through routing to see which
 * resources got the original (RFC 6121 delivery as Openfire really did it), and copied once after.
 */
final class CarbonsInterceptor implements PacketInterceptor {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsInterceptor.class);
    private static final QName PRIVATE = QName.get("private", Namespaces.CARBONS);

    private final CarbonsEngine engine;
    private final RoutingTracker tracker;
    private final SessionManager sessionManager;

    CarbonsInterceptor(CarbonsEngine engine, RoutingTracker tracker, SessionManager sessionManager) {
        this.engine = engine;
        this.tracker = tracker;
        this.sessionManager = sessionManager;
    }

    @Override
    public void interceptPacket(Packet packet, Session session, boolean incoming, boolean processed) {
        // Every stanza of the server passes here: anything but a message leaves at once.
        if (!(packet instanceof Message)) {
            return;
        }
        try {
            final Message message = (Message) packet;
            if (incoming) {
                if (!processed) {
                    final InFlightMessage inFlight = engine.beforeRouting(message);
                    if (inFlight != null) {
                        tracker.routingStarted(inFlight);
                    }
                } else {
                    final InFlightMessage routed = tracker.routingFinished(message);
                    if (routed != null) {
                        deliver(engine.afterRouting(routed));
                    }
                }
            } else if (session instanceof ClientSession) {
                if (!processed) {
                    stripPrivate(message);
                } else {
                    tracker.delivered(message, session.getAddress());
                }
            }
        } catch (RuntimeException e) {
            // Carbons are a courtesy: a failure here must never stop the original from being routed.
            Log.warn("Message carbons could not be processed for {}", packet.toXML(), e);
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
            final ClientSession target = sessionManager.getSession(copy.getTo());
            if (target != null) {
                // Straight to the session, not through the router: a copy for a resource that just went away
                // must not be rerouted to the bare JID (RFC 6121 §8.5.3.2.1) and reach the others twice.
                target.process(copy);
            }
        }
    }
}
