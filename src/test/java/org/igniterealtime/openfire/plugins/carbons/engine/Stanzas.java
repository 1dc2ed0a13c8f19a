package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.xmpp.packet.Message;

import java.util.Map;

/** Messages for tests, written as the XML a client would send. */
final class Stanzas {

    /** Children the rule tables name, as a client writes them. */
    static final String BODY = "<body>hi</body>";
    static final String RECEIPT = "<received xmlns='urn:xmpp:receipts' id='x'/>";
    static final String CHAT_STATE = "<composing xmlns='http://jabber.org/protocol/chatstates'/>";
    static final String MARKER = "<displayed xmlns='urn:xmpp:chat-markers:0' id='x'/>";
    static final String DIRECT_INVITE = "<x xmlns='jabber:x:conference' jid='room@conference.example.org'/>";
    static final String MEDIATED_INVITE = "<x xmlns='http://jabber.org/protocol/muc#user'><invite from='carol@example.org'/></x>";
    static final String MUC_USER = "<x xmlns='http://jabber.org/protocol/muc#user'/>";

    private Stanzas() {
    }

    static Message message(String xml) {
        try {
            return new Message(DocumentHelper.parseText(xml).getRootElement());
        } catch (DocumentException e) {
            throw new IllegalArgumentException(xml, e);
        }
    }

    /** A message from bob to alice/A1 with the given type attribute (null for none) and children. */
    static Message bobToAlice(String type, String children) {
        return message("<message xmlns='jabber:client' from='bob@example.org/B1' to='alice@example.org/A1'"
            + (type == null ? "" : " type='" + type + "'") + " id='m1'>" + children + "</message>");
    }

    /**
     * The children a rule table names in one cell ("BODY CHAT_STATE"), each written as the table's map gives it; empty
     * for an empty cell.
     */
    static String children(String names, Map<String, String> xmlByName) {
        if (names == null) {
            return "";
        }
        final StringBuilder xml = new StringBuilder();
        for (String name : names.trim().split("\\s+")) {
            final String child = xmlByName.get(name);
            if (child == null) {
                throw new IllegalArgumentException(name);
            }
            xml.append(child);
        }
        return xml.toString();
    }
}
