package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.Iterator;
import java.util.Objects;

/**
 * Protects clients from carbons that are not what they claim to be.
 * <p>
 * Forged carbons (XEP-0280 §11, CVE-2017-5589, CVE-2019-16235): a genuine carbon always comes from the
 * recipient's own bare JID; anything else carrying {@code <received/>} or {@code <sent/>} lets a stranger put
 * words in the user's mouth in clients that do not check.
 * <p>
 * Bounced carbons (§10.3): a client that answers a carbon copy with an error sends it to its own bare JID (the
 * copy's sender); such an error concerns nobody and is dropped rather than delivered or copied.
 */
public final class CarbonGuard {

    private CarbonGuard() {
    }

    /** {@link #inspect}: the message carries a carbons {@code <received/>} or {@code <sent/>} of its own. */
    public static final int CARBON = 1;
    /** {@link #inspect}: the message carries a carbons {@code <private/>} of its own (§9). */
    public static final int PRIVATE = 1 << 1;

    /**
     * What the guards look for among the message's own children (not anything nested in them), in one pass by index
     * that allocates nothing: it runs for every message delivered to a client.
     *
     * @return {@link #CARBON} and {@link #PRIVATE} as found, 0 for nearly every message
     */
    public static int inspect(Message message) {
        final Element stanza = message.getElement();
        int found = 0;
        for (int i = 0, n = stanza.nodeCount(); i < n; i++) {
            if (stanza.node(i) instanceof Element child && Namespaces.CARBONS.equals(child.getNamespaceURI())) {
                found |= "private".equals(child.getName()) ? PRIVATE : isCarbonElement(child) ? CARBON : 0;
            }
        }
        return found;
    }

    /** Whether the message itself (not something nested in it) carries a carbons received or sent element. */
    public static boolean carriesCarbon(Message message) {
        return (inspect(message) & CARBON) != 0;
    }

    /** Whether delivering the message to this resource would hand it a carbon that its own account did not send. */
    public static boolean isForgedFor(Message message, JID recipient) {
        return carriesCarbon(message) && !fromOwnAccount(message.getFrom(), recipient);
    }

    /**
     * Whether a message that carries a carbon ({@link #CARBON}) comes from the recipient's own bare JID, as every
     * genuine carbon does. Compares the parts: Tinder 2 builds a new string for every {@code toBareJID()}.
     */
    public static boolean fromOwnAccount(JID from, JID recipient) {
        return from != null && from.getResource() == null && Objects.equals(from.getNode(), recipient.getNode())
            && from.getDomain().equals(recipient.getDomain());
    }

    /** Removes the carbons elements, leaving the rest of the message as it was. */
    public static void strip(Message message) {
        for (Iterator<Element> it = message.getElement().elementIterator(); it.hasNext(); ) {
            if (isCarbonElement(it.next())) {
                it.remove();
            }
        }
    }

    /**
     * Whether this is an error sent back in answer to one of our carbon copies: by the client that got it, or by a
     * server on its behalf, so from a full JID. A carbon copy of an error reply is an error too, but it comes from
     * the bare JID like every copy.
     */
    public static boolean isBouncedCarbon(Message message) {
        if (message.getType() != Message.Type.error) {
            return false;
        }
        final JID from = message.getFrom();
        if (from == null || from.getResource() == null) {
            return false;
        }
        final String id = message.getID();
        return (id != null && id.startsWith(CarbonWrapper.ID_PREFIX)) || carriesCarbon(message);
    }

    /** A carbons {@code <received/>} or {@code <sent/>} element. */
    static boolean isCarbonElement(Element element) {
        return Namespaces.CARBONS.equals(element.getNamespaceURI())
            && ("received".equals(element.getName()) || "sent".equals(element.getName()));
    }
}
