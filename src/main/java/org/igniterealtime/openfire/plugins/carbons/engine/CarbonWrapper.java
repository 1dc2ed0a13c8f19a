package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.dom4j.QName;
import org.dom4j.tree.DefaultElement;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the carbon wrapper of XEP-0280 §7 and §8 once per original message and direction, then
 * addresses it to each receiving resource.
 * <p>
 * Openfire keeps packet objects after delivery (stream management queues, archiving interceptors), so each
 * recipient gets its own copy of the finished template rather than a shared, mutated instance; what the copies
 * share is the serialised text ({@link CarbonCopyElement}), as Prosody shares one serialised wrapper and only
 * rewrites 'to'.
 */
public final class CarbonWrapper {

    private static final QName CLIENT_MESSAGE = QName.get("message", Namespaces.JABBER_CLIENT);
    /** The wrapper's own names, looked up once: dom4j's QName cache is a synchronized map. */
    private static final QName WRAPPER = QName.get("message");
    private static final QName TYPE = QName.get("type");
    private static final QName FROM = QName.get("from");
    private static final QName ID = QName.get("id");
    private static final QName FORWARDED = QName.get("forwarded", Namespaces.FORWARD);
    private static final QName RECEIVED = QName.get(Direction.RECEIVED.elementName(), Namespaces.CARBONS);
    private static final QName SENT = QName.get(Direction.SENT.elementName(), Namespaces.CARBONS);
    /** Our copies' ids start with this, so that an error answering one of them is recognised (§10.3). */
    public static final String ID_PREFIX = "carbon-";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Element template;
    private final CarbonCopyElement.Shape shape;
    private final Forwarded forwarded;
    private final Direction direction;

    private CarbonWrapper(Element template, Forwarded forwarded, Direction direction) {
        this.template = template;
        this.shape = new CarbonCopyElement.Shape(template, forwarded);
        this.forwarded = forwarded;
        this.direction = direction;
    }

    /**
     * The original as it is forwarded (XEP-0297), made once per message for the wrappers of both directions, which
     * also share its serialised text.
     */
    public static final class Forwarded {
        private final Element message;
        private final Message.Type type;
        private volatile String xml;
        /** {@link ClientStateRules#deliveredAtOnce}, judged once for all copies: 0 not yet, 1 yes, 2 no. */
        private volatile int atOnce;

        private Forwarded(Element message, Message.Type type) {
            this.message = message;
            this.type = type;
        }

        /** The forwarded message for one more wrapper: the first takes this one, later ones a copy. */
        private Element take() {
            return message.getParent() == null ? message : message.createCopy();
        }

        /** Whether the server delivers the forwarded message to an inactive session at once (XEP-0352). */
        boolean deliveredAtOnce() {
            int judged = atOnce;
            if (judged == 0) {
                judged = ClientStateRules.deliveredAtOnce(message) ? 1 : 2;
                atOnce = judged;
            }
            return judged == 1;
        }

        /** The forwarded message's XML, written once. */
        String xml() {
            String text = xml;
            if (text == null) {
                text = message.asXML();
                xml = text;
            }
            return text;
        }
    }

    /** The original, copied and qualified for forwarding; never modified itself. */
    public static Forwarded forward(Message original) {
        final Element copy = original.getElement().createCopy();
        qualifyAsClientStanza(copy);
        return new Forwarded(copy, original.getType());
    }

    /**
     * Wraps the original.
     *
     * @param original  the message as routed; it is copied, never modified
     * @param direction received or sent
     * @param user      the carbons-enabled user; the wrapper comes from this bare JID (§7: 'from' MUST be the
     *                  user's bare JID, which is what clients check against forgeries, CVE-2017-5589)
     * @return the wrapper, ready to be addressed
     */
    public static CarbonWrapper wrap(Message original, Direction direction, JID user) {
        return wrap(forward(original), direction, user);
    }

    /**
     * Wraps the forwarded original.
     *
     * @see #wrap(Message, Direction, JID)
     */
    public static CarbonWrapper wrap(Forwarded forwarded, Direction direction, JID user) {
        // The template is only ever copied, never sent: a bare element, as Tinder's new Message() would make it (no
        // namespace of its own; the stream's applies) without the Document that new Message() creates (dom4j's
        // DocumentFactory.getInstance() is synchronized) and without a QName cache lookup per name.
        final Element wrapper = new DefaultElement(WRAPPER);
        // §7: "The wrapping message SHOULD maintain the same 'type' attribute value".
        if (forwarded.type != null) {
            wrapper.addAttribute(TYPE, forwarded.type.toString());
        }
        wrapper.addAttribute(FROM, user.toBareJID());
        wrapper.addAttribute(ID, ID_PREFIX + Long.toString(SEQUENCE.incrementAndGet(), 36));
        wrapper.addElement(direction == Direction.SENT ? SENT : RECEIVED).addElement(FORWARDED).add(forwarded.take());
        return new CarbonWrapper(wrapper, forwarded, direction);
    }

    /** The wrapper before it is addressed (for tests). */
    Element template() {
        return template;
    }

    /**
     * The wrapper addressed to one resource (§7: 'to' MUST be the full JID of the resource receiving the copy).
     */
    public CarbonCopy addressedTo(JID resource) {
        return addressedTo(resource, null);
    }

    /**
     * The wrapper addressed to one resource, as urgent for an inactive session as the forwarded message is.
     *
     * @param decision how the server decides whether a stanza may wait for an inactive session; null to leave the copy
     *                 to the server's judgement of the wrapper (which holds every carbon back)
     */
    public CarbonCopy addressedTo(JID resource, ClientStateDecision decision) {
        // What template.createCopy() makes (Tinder: new Message(element.createCopy(), true)), with a root that
        // serialises from the shared text.
        final CarbonCopy copy = new CarbonCopy(new CarbonCopyElement(template, shape), direction,
            decision != null && forwarded.deliveredAtOnce() ? decision : null);
        copy.setTo(resource);
        return copy;
    }

    /**
     * Whether the message is one of the copies this plugin made: from the user's bare JID to one of the user's
     * resources, with nothing of its own that the delivery guards look for. The interceptor lets it pass unexamined.
     */
    public static boolean isCopy(Message message) {
        return message instanceof CarbonCopy;
    }

    /**
     * XEP-0297 §3: the forwarded stanza is qualified by 'jabber:client'. Stanzas built inside the server
     * often have no namespace, which would serialise as xmlns="" under the forwarded element.
     */
    private static void qualifyAsClientStanza(Element message) {
        if (!Namespaces.JABBER_CLIENT.equals(message.getNamespaceURI())) {
            message.setQName(CLIENT_MESSAGE);
        }
        qualifyUnqualifiedChildren(message);
    }

    private static void qualifyUnqualifiedChildren(Element parent) {
        final List<Element> children = parent.elements();
        for (int i = 0, n = children.size(); i < n; i++) {
            final Element child = children.get(i);
            final String ns = child.getNamespaceURI();
            if (ns.isEmpty() || Namespaces.JABBER_SERVER.equals(ns)) {
                child.setQName(QName.get(child.getName(), Namespaces.JABBER_CLIENT));
                qualifyUnqualifiedChildren(child);
            }
        }
    }
}
