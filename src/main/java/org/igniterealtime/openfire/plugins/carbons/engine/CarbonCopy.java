package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.xmpp.packet.Message;

/**
 * One carbon copy, addressed to one resource: the stanza as every other code sees it, plus what the plugin knows of
 * it (which side it reports, and whether the message it forwards is urgent for an inactive session).
 * <p>
 * A carbon is as urgent as the message it forwards (XEP-0352 with XEP-0280): where the server would deliver the
 * forwarded message itself to an inactive session at once, the copy asks to be delivered at once too. Openfire decides
 * on the stanza as delivered, by reading {@link #getBody()} (CsiManager.canDelay, see {@link ClientStateRules}), and
 * the wrapper has no body; so this copy answers that one question, and only that one, as if it had one: an empty body,
 * which makes Openfire deliver it at once, with whatever it had queued for the session before, in order. Everything
 * else that reads the body (other plugins' interceptors, archiving) gets the wrapper's own, null. The answer is given
 * only while {@link ClientStateDecision#deciding} says the server's decision is asking.
 * <p>
 * What Openfire keeps of a delivered stanza (stream management's queue of unacknowledged stanzas) is
 * {@code createCopy()}, a plain Message, and a cluster task carries the element only: the answer never outlives the
 * delivery it was given for.
 */
public final class CarbonCopy extends Message {

    private final Direction direction;
    /** Null unless the forwarded message is urgent and prompt delivery is on. */
    private final ClientStateDecision urgentFor;

    CarbonCopy(Element element, Direction direction, ClientStateDecision urgentFor) {
        super(element, true);
        this.direction = direction;
        this.urgentFor = urgentFor;
    }

    /**
     * A carbon that reached this node as a plain message (made by the plugin on another cluster node, or by Openfire's
     * own carbons while carbons change hands), as a copy of this plugin's.
     *
     * @param decision how the server asks, or null to answer as the wrapper does
     * @return the copy, or null when the message is not a carbon (received or sent, forwarded message inside)
     */
    public static CarbonCopy of(Message carbon, ClientStateDecision decision) {
        final Element forwarded = ClientStateRules.forwardedMessage(carbon.getElement());
        if (forwarded == null) {
            return null;
        }
        final Direction direction = Direction.SENT.elementName().equals(forwarded.getParent().getParent().getName())
            ? Direction.SENT : Direction.RECEIVED;
        return new CarbonCopy(carbon.getElement(), direction,
            decision != null && ClientStateRules.deliveredAtOnce(forwarded) ? decision : null);
    }

    /** The side of the conversation the copy reports. */
    public Direction direction() {
        return direction;
    }

    /** Whether the forwarded message is one the server delivers at once to an inactive session, and this copy says so. */
    public boolean urgent() {
        return urgentFor != null;
    }

    @Override
    public String getBody() {
        final String body = super.getBody();
        return body == null && urgentFor != null && urgentFor.deciding(this) ? "" : body;
    }
}
