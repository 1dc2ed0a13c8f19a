package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * The outcome of the eligibility decision for one message in one direction: a verdict
 * ({@link #copies()}) and the reason it was reached. XEP-0280 §6 leaves the rules to the server;
 * these follow §6.1 (urn:xmpp:carbons:rules:0) and the XSF wiki's implementation remarks.
 */
public enum Eligibility {
    CHAT(true, "message of type chat"),
    NORMAL_WITH_BODY(true, "message of type normal with a body"),
    IM_PAYLOAD(true, "carries an IM payload (receipt, chat state or chat marker)"),
    MUC_INVITATION(true, "MUC invitation (direct or mediated)"),
    MUC_PRIVATE_OUTGOING(true, "MUC private message sent by the user"),
    ERROR_REPLY(true, "error in reply to a message that was copied"),

    CARBONS_OFF(false, "carbons are switched off on this server"),
    /** Copied by the rules, but no resource of the user enabled carbons (besides the sending one): nobody to copy to. */
    NO_CARBONS_RESOURCE(false, "no resource of the user enabled carbons (besides the sending one)"),
    ALREADY_CARBON(false, "already a carbon copy (carries received or sent)"),
    PRIVATE(false, "marked private by the sender"),
    NO_COPY(false, "carries a no-copy hint"),
    GROUPCHAT(false, "groupchat message"),
    HEADLINE(false, "headline message"),
    ERROR(false, "error message not answering a copied message"),
    MUC_PRIVATE_INCOMING(false, "MUC private message received from a room occupant"),
    NOT_IM(false, "not an instant message");

    private final boolean copies;
    private final String description;

    Eligibility(boolean copies, String description) {
        this.copies = copies;
        this.description = description;
    }

    /** The verdict: whether the message is carbon-copied. */
    public boolean copies() {
        return copies;
    }

    /** The reason, for logs and for administrators. */
    public String description() {
        return description;
    }
}
