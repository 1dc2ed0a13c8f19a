package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;

/**
 * XEP-0352 Client State Indication as Openfire applies it: which messages an inactive session (a phone in a pocket) gets
 * at once, and which may wait in its delay queue until the client turns active again.
 * <p>
 * The rules are Openfire's own, so that a carbon is exactly as urgent as the message it forwards would be if it were
 * delivered to that session itself. Openfire 5.0.0 to 5.1.1 decide in CsiManager.canDelay
 * (xmppserver/src/main/java/org/jivesoftware/openfire/csi/CsiManager.java, unchanged over these versions): a message
 * with a {@code <body/>} is delivered at once; one without may wait, unless it is a groupchat with a {@code <subject/>}
 * (a room join completing), carries a MUC {@code <invite/>}, an {@code <encrypted/>} child (OMEMO carries no body), or
 * a child in a {@code urn:xmpp:jingle-message:*} namespace (a call being set up, OF-2750). Openfire looks at the top-level
 * children by local name only (dom4j {@code elements(name)}), as Tinder's {@code getBody()} does; so does this class.
 * <p>
 * Openfire judges a carbon by its wrapper, which never has any of these children, so every carbon would wait
 * (Prosody's mod_csi_simple and ejabberd's mod_client_state look inside). {@link CarbonCopy} answers for the message
 * it forwards instead.
 */
public final class ClientStateRules {

    private static final String JINGLE_MESSAGE_PREFIX = "urn:xmpp:jingle-message:";

    private ClientStateRules() {
    }

    /**
     * Whether Openfire would deliver this message to an inactive session at once rather than hold it back.
     *
     * @param message a message element (the forwarded original, for a carbon)
     */
    public static boolean deliveredAtOnce(Element message) {
        boolean subject = false;
        for (int i = 0, n = message.nodeCount(); i < n; i++) {
            if (!(message.node(i) instanceof Element child)) {
                continue;
            }
            final String name = child.getName();
            if ("body".equals(name) || "encrypted".equals(name) || child.getNamespaceURI().startsWith(JINGLE_MESSAGE_PREFIX)
                || ("x".equals(name) && Namespaces.MUC_USER.equals(child.getNamespaceURI()) && child.element("invite") != null)) {
                return true;
            }
            subject |= "subject".equals(name);
        }
        return subject && "groupchat".equals(message.attributeValue("type"));
    }

    /**
     * The message a carbon forwards ({@code <received/>} or {@code <sent/>}, XEP-0297 {@code <forwarded/>}, the
     * message), or null when the stanza is not a carbon of that shape.
     */
    public static Element forwardedMessage(Element carbon) {
        for (int i = 0, n = carbon.nodeCount(); i < n; i++) {
            if (carbon.node(i) instanceof Element direction && CarbonGuard.isCarbonElement(direction)) {
                final Element forwarded = direction.element("forwarded");
                return forwarded == null || !Namespaces.FORWARD.equals(forwarded.getNamespaceURI()) ? null : forwarded.element("message");
            }
        }
        return null;
    }
}
