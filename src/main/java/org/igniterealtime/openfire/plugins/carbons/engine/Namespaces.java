package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * XML namespaces the carbons engine reads or writes.
 */
public final class Namespaces {

    /** XEP-0280 §3: the protocol namespace, also its disco#info feature. */
    public static final String CARBONS = "urn:xmpp:carbons:2";
    /** XEP-0280 §6.1: advertised when the server applies the recommended eligibility rules. */
    public static final String CARBONS_RULES = "urn:xmpp:carbons:rules:0";
    /** XEP-0297 Stanza Forwarding: the wrapper inside received/sent. */
    public static final String FORWARD = "urn:xmpp:forward:0";
    /** XEP-0334 Message Processing Hints (no-copy). */
    public static final String HINTS = "urn:xmpp:hints";
    /** XEP-0184 Message Delivery Receipts. */
    public static final String RECEIPTS = "urn:xmpp:receipts";
    /** XEP-0085 Chat State Notifications. */
    public static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    /** XEP-0333 Chat Markers. */
    public static final String CHAT_MARKERS = "urn:xmpp:chat-markers:0";
    /** XEP-0045 Multi-User Chat, user namespace (private messages and mediated invitations). */
    public static final String MUC_USER = "http://jabber.org/protocol/muc#user";
    /** XEP-0249 Direct MUC Invitations. */
    public static final String DIRECT_MUC_INVITATION = "jabber:x:conference";
    /** RFC 6120 client namespace; forwarded stanzas must carry it explicitly (XEP-0297 §3). */
    public static final String JABBER_CLIENT = "jabber:client";
    /** RFC 6120 server namespace; stanzas parsed from s2s streams carry it. */
    public static final String JABBER_SERVER = "jabber:server";

    private Namespaces() {
    }
}
