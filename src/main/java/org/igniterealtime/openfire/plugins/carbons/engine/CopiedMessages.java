package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.Map;

/**
 * Ids of recently carbon-copied messages, per user and conversation partner, so that an error reply to one of
 * them can be copied too (XEP-0280 §6.1: "a message of type error is eligible if it is sent in response to a
 * message that was itself eligible"). The backing map bounds size and age (the adapter uses an Openfire cache
 * with a maximum size and lifetime); entries are only ever added and looked up.
 */
public final class CopiedMessages {

    private final Map<String, Long> recent;

    public CopiedMessages(Map<String, Long> recent) {
        this.recent = recent;
    }

    /** The user's resources got copies of the message with this id, exchanged with the partner. */
    public void remember(JID user, JID partner, String id) {
        if (id != null && !id.isEmpty()) {
            recent.put(key(user, partner, id), System.currentTimeMillis());
        }
    }

    /** Whether a message with this id, exchanged between the user and the partner, was copied to the user's resources. */
    public boolean wasCopied(JID user, JID partner, String id) {
        return id != null && !id.isEmpty() && recent.containsKey(key(user, partner, id));
    }

    private static String key(JID user, JID partner, String id) {
        return user.toBareJID() + ' ' + partner.toBareJID() + ' ' + id;
    }
}
