package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One eligible message between the moment the server starts routing it and the moment routing is done:
 * its eligibility (decided before routing, while the stanza is as the sender wrote it) and the resources
 * the server delivered the original to.
 */
public final class InFlightMessage {

    private final Message message;
    private final JID sender;
    private final JID recipient;
    private final Eligibility asSent;
    private final Eligibility asReceived;
    private final Collection<JID> senderCarbons;
    private final Collection<JID> recipientCarbons;
    private final List<JID> deliveredTo = new ArrayList<>(2);
    /** The original as forwarded in every copy of both sides, built once and when first needed. */
    private CarbonWrapper.Forwarded forwarded;
    /** Whether the received side was copied as the original reached its addressee ({@link CarbonsEngine#atDelivery}). */
    private boolean receivedCopiedEarly;
    /** Whether that made any copy. */
    private boolean receivedCopiesMade;

    InFlightMessage(Message message, JID sender, JID recipient, Eligibility asSent, Eligibility asReceived,
                    Collection<JID> senderCarbons, Collection<JID> recipientCarbons) {
        this.message = message;
        this.sender = sender;
        this.recipient = recipient;
        this.asSent = asSent;
        this.asReceived = asReceived;
        this.senderCarbons = senderCarbons;
        this.recipientCarbons = recipientCarbons;
    }

    public Message message() {
        return message;
    }

    /** The sending full JID, when the sender is a local user. */
    public JID sender() {
        return sender;
    }

    /** The addressed recipient (the sender's bare JID when the stanza had no 'to', RFC 6120 §10.3). */
    public JID recipient() {
        return recipient;
    }

    /** Eligibility for the sender's other resources, or null when the sender is not a local user. */
    public Eligibility asSent() {
        return asSent;
    }

    /** Eligibility for the recipient's resources, or null when the recipient is not a local user. */
    public Eligibility asReceived() {
        return asReceived;
    }

    /** Records that the original reached this resource. */
    public void deliveredTo(JID resource) {
        if (!deliveredTo.contains(resource)) {
            deliveredTo.add(resource);
        }
    }

    /** The resources that got the original. */
    public List<JID> deliveredTo() {
        return deliveredTo;
    }

    /**
     * The sender's carbons-enabled resources, looked up when the message was judged; empty unless copied as sent; null
     * when they are to be looked up after routing ({@link CarbonsEngine#handingOver}).
     */
    Collection<JID> senderCarbons() {
        return senderCarbons;
    }

    /**
     * The recipient's carbons-enabled resources, looked up when the message was judged; empty unless copied as
     * received; null when they are to be looked up after routing ({@link CarbonsEngine#handingOver}).
     */
    Collection<JID> recipientCarbons() {
        return recipientCarbons;
    }

    CarbonWrapper.Forwarded forwarded() {
        if (forwarded == null) {
            forwarded = CarbonWrapper.forward(message);
        }
        return forwarded;
    }

    boolean receivedCopiedEarly() {
        return receivedCopiedEarly;
    }

    boolean receivedCopiesMade() {
        return receivedCopiesMade;
    }

    void receivedCopiedEarly(boolean copiesMade) {
        receivedCopiedEarly = true;
        receivedCopiesMade = copiesMade;
    }
}
