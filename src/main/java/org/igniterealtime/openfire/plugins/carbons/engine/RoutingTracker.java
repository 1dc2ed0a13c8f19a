package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Follows eligible messages through the server's routing on the routing thread, so that carbons are
 * planned once per original from what the server really did.
 * <p>
 * Openfire routes a message synchronously between the "incoming, not processed" and "incoming, processed"
 * interceptor calls, and calls interceptors again for every session that gets the original. A forked
 * bare-JID message therefore shows up several times; only the bracket around routing happens once.
 * Routing can nest on one thread (a MUC invitation routed while the user's message to the room is routed),
 * hence a stack; a stanza whose routing ended without the closing interceptor call (an exception, another
 * interceptor's veto) leaves a stale entry, hence the bound.
 */
public final class RoutingTracker {

    /** Deeper than any legitimate nesting; beyond it, the oldest entries are stale and are dropped. */
    static final int MAX_DEPTH = 16;

    private final ThreadLocal<ArrayDeque<InFlightMessage>> inFlight = ThreadLocal.withInitial(ArrayDeque::new);

    /** Routing of this message starts on the current thread. */
    public void routingStarted(InFlightMessage message) {
        final ArrayDeque<InFlightMessage> stack = inFlight.get();
        // Stale entries sit at the bottom (older than any routing still under way above them): evict from there,
        // never the routings in progress.
        while (stack.size() >= MAX_DEPTH) {
            stack.removeLast();
        }
        stack.push(message);
    }

    /**
     * A message was delivered to this resource, on the current thread: the original of a message being routed, or
     * a carbon copy of one made by someone else (Openfire's built-in carbons, while the state changes hands), which
     * counts as the resource having it. Anything else is ignored.
     */
    public void delivered(Packet packet, JID resource) {
        final ArrayDeque<InFlightMessage> stack = inFlight.get();
        if (stack.isEmpty()) {
            return;
        }
        final InFlightMessage original = find(stack, packet);
        if (original != null) {
            original.deliveredTo(resource);
            return;
        }
        if (packet instanceof Message && CarbonGuard.carriesCarbon((Message) packet)
            && (packet.getID() == null || !packet.getID().startsWith(CarbonWrapper.ID_PREFIX))) {
            final Element inner = forwardedMessage(packet.getElement());
            for (InFlightMessage candidate : stack) {
                if (inner != null && sameStanza(candidate.message().getElement(), inner)) {
                    candidate.deliveredTo(resource);
                    return;
                }
            }
        }
    }

    private static Element forwardedMessage(Element wrapper) {
        for (Element direction : wrapper.elements()) {
            if (Namespaces.CARBONS.equals(direction.getNamespaceURI())) {
                final Element forwarded = direction.element("forwarded");
                return forwarded == null ? null : forwarded.element("message");
            }
        }
        return null;
    }

    private static boolean sameStanza(Element original, Element copy) {
        return Objects.equals(original.attributeValue("id"), copy.attributeValue("id"))
            && Objects.equals(original.attributeValue("from"), copy.attributeValue("from"))
            && Objects.equals(original.attributeValue("to"), copy.attributeValue("to"))
            && Objects.equals(original.elementText("body"), copy.elementText("body"));
    }

    /**
     * The message the current thread is routing, if this packet is one.
     *
     * @return what is tracked for it, or null
     */
    public InFlightMessage inFlight(Packet packet) {
        return find(inFlight.get(), packet);
    }

    /**
     * Routing of this packet finished on the current thread.
     *
     * @return what was tracked for it, or null if it was not tracked (not eligible)
     */
    public InFlightMessage routingFinished(Packet packet) {
        final ArrayDeque<InFlightMessage> stack = inFlight.get();
        final InFlightMessage routed = find(stack, packet);
        if (routed != null) {
            stack.removeFirstOccurrence(routed); // InFlightMessage keeps Object's equals: this very entry
        }
        return routed;
    }

    /** The entry tracking this very packet (the same instance, as Openfire passes it along), or null. */
    private static InFlightMessage find(ArrayDeque<InFlightMessage> stack, Packet packet) {
        for (InFlightMessage candidate : stack) {
            if (candidate.message() == packet) {
                return candidate;
            }
        }
        return null;
    }

    /** How many messages the current thread is routing; for tests. */
    int depth() {
        return inFlight.get().size();
    }

    /** Forgets the current thread's entries (plugin unload). */
    public void clearCurrentThread() {
        inFlight.remove();
    }
}
