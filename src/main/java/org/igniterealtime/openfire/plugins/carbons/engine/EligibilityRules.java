package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.xmpp.packet.Message;


/**
 * The one decision function of the engine: is this message carbon-copied in this direction, and why.
 * Modelled on XEP-0280 §6.1 (urn:xmpp:carbons:rules:0) with the XSF wiki's remarks on MUC.
 * Reads the stanza once, without allocating, because it runs for every routed message.
 */
public final class EligibilityRules {

    private static final int HAS_BODY = 1;
    private static final int HAS_CARBON = 1 << 1;
    private static final int HAS_PRIVATE = 1 << 2;
    private static final int HAS_NO_COPY = 1 << 3;
    private static final int HAS_IM_PAYLOAD = 1 << 4;
    private static final int HAS_MUC_USER = 1 << 5;
    private static final int HAS_MUC_INVITE = 1 << 6;

    private EligibilityRules() {
    }

    /**
     * Decides eligibility.
     *
     * @param message      the original message as routed
     * @param direction    {@link Direction#SENT} when judged for the sending user's other resources,
     *                     {@link Direction#RECEIVED} when judged for the recipient's resources
     * @param partnerIsMuc whether the other party (recipient when sent, sender when received) is a MUC
     *                     room, occupant or service
     * @param answersCopied whether the message's id is that of a message copied to this side's resources
     *                     (only looked at for errors)
     * @param settings     the administrator's settings
     * @return the verdict with its reason; never null
     */
    public static Eligibility decide(Message message, Direction direction, boolean partnerIsMuc, boolean answersCopied,
                                     RuleSettings settings) {
        if (!settings.carbonsEnabled()) {
            return Eligibility.CARBONS_OFF;
        }
        final int facts = scan(message.getElement());
        // XEP-0280 §11 and CVE-2017-5589: a stanza that already carries a carbon wrapper is never wrapped again.
        if ((facts & HAS_CARBON) != 0) {
            return Eligibility.ALREADY_CARBON;
        }
        final Message.Type type = message.getType();
        // §6.1: "A <message/> of type error is eligible if it is sent in response to a message that was itself
        // eligible"; we know the ones we copied.
        if (type == Message.Type.error) {
            return answersCopied && settings.errorReplies() ? Eligibility.ERROR_REPLY : Eligibility.ERROR;
        }
        // §6.1: "A <message/> of type groupchat SHOULD NOT be carbon-copied."
        if (type == Message.Type.groupchat) {
            return Eligibility.GROUPCHAT;
        }
        // §9: the sender opted out for this message.
        if ((facts & HAS_PRIVATE) != 0) {
            return Eligibility.PRIVATE;
        }
        if ((facts & HAS_NO_COPY) != 0 && settings.honourNoCopy()) {
            return Eligibility.NO_COPY;
        }
        if (type == Message.Type.headline) {
            return Eligibility.HEADLINE;
        }
        if (settings.rules0()) {
            // §6.1: direct (XEP-0249) and mediated (XEP-0045) invitations SHOULD be carbon-copied.
            if ((facts & HAS_MUC_INVITE) != 0) {
                return Eligibility.MUC_INVITATION;
            }
            // §6.1: MUC private messages are copied when sent by the user, never when received from an
            // occupant (the room already delivers them to every joined resource).
            if (partnerIsMuc || (facts & HAS_MUC_USER) != 0) {
                return direction == Direction.SENT ? Eligibility.MUC_PRIVATE_OUTGOING : Eligibility.MUC_PRIVATE_INCOMING;
            }
        }
        if (type == Message.Type.chat) {
            return Eligibility.CHAT;
        }
        if ((facts & HAS_BODY) != 0) {
            return Eligibility.NORMAL_WITH_BODY;
        }
        // §6.1: payloads used for instant messaging make a message eligible whatever its remaining type.
        if (settings.rules0() && settings.copyImPayloads() && (facts & HAS_IM_PAYLOAD) != 0) {
            return Eligibility.IM_PAYLOAD;
        }
        return Eligibility.NOT_IM;
    }

    /** One pass over the direct children, collecting what the rules look at; by index, so nothing is allocated. */
    private static int scan(Element stanza) {
        int facts = 0;
        for (int i = 0, n = stanza.nodeCount(); i < n; i++) {
            if (!(stanza.node(i) instanceof Element child)) {
                continue;
            }
            final String ns = child.getNamespaceURI();
            final String name = child.getName();
            switch (ns) {
                case "", Namespaces.JABBER_CLIENT, Namespaces.JABBER_SERVER -> {
                    if ("body".equals(name)) {
                        facts |= HAS_BODY;
                    }
                }
                case Namespaces.CARBONS -> {
                    if ("private".equals(name)) {
                        facts |= HAS_PRIVATE;
                    } else if ("received".equals(name) || "sent".equals(name)) {
                        facts |= HAS_CARBON;
                    }
                }
                case Namespaces.HINTS -> {
                    if ("no-copy".equals(name)) {
                        facts |= HAS_NO_COPY;
                    }
                }
                case Namespaces.RECEIPTS, Namespaces.CHAT_STATES, Namespaces.CHAT_MARKERS -> facts |= HAS_IM_PAYLOAD;
                case Namespaces.MUC_USER -> {
                    facts |= HAS_MUC_USER;
                    if (child.element("invite") != null) {
                        facts |= HAS_MUC_INVITE;
                    }
                }
                case Namespaces.DIRECT_MUC_INVITATION -> facts |= HAS_MUC_INVITE;
                default -> {
                }
            }
        }
        return facts;
    }
}
