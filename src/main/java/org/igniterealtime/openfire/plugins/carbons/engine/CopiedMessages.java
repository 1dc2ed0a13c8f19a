package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Ids of recently carbon-copied messages, per conversation, so that an error reply to one of them can be copied too
 * (XEP-0280 §6.1: "a message of type error is eligible if it is sent in response to a message that was itself
 * eligible"). The backing map bounds size and age: on a single server a {@link RecentMap}, in a cluster an Openfire
 * cache with a maximum size and lifetime that all nodes share, because the error may be routed on another node than
 * the original. Entries made before a server joins or leaves a cluster stay behind; an error answering one of those
 * few messages is not copied.
 * <p>
 * One entry per copied message serves both sides: its key names the two users in a fixed order and the message id,
 * its value says whose resources got copies (bit 1: the first user's, bit 2: the second's). Every copied message
 * costs one key and one put, and on a cluster one write to the distributed map. Keys start with "2 " so that they
 * never meet the keys of earlier versions (one per side, starting with the user's bare JID) in a cluster being
 * upgraded node by node.
 */
public final class CopiedMessages {

    private static final long FIRST = 1;
    private static final long SECOND = 2;

    private final Supplier<Map<String, Long>> recent;

    public CopiedMessages(Map<String, Long> recent) {
        this(() -> recent);
    }

    /**
     * @param recent where the entries live now, asked on every use: the adapter hands out a map of this server alone
     *               ({@link RecentMap}) while it is not clustered, and the cluster-wide cache while it is
     */
    public CopiedMessages(Supplier<Map<String, Long>> recent) {
        this.recent = recent;
    }

    /**
     * Remembers the message with this id from the sender to the recipient (either may be another server's user), and
     * whose resources got copies of it.
     */
    public void remember(JID sender, JID recipient, String id, boolean copiedToSender, boolean copiedToRecipient) {
        if (id == null || id.isEmpty() || (!copiedToSender && !copiedToRecipient)) {
            return;
        }
        final String s = sender.toBareJID();
        final String r = recipient.toBareJID();
        final boolean senderFirst = s.compareTo(r) <= 0;
        long sides = 0;
        if (copiedToSender) {
            sides |= senderFirst ? FIRST : SECOND;
        }
        if (copiedToRecipient) {
            sides |= senderFirst ? SECOND : FIRST;
        }
        recent.get().put(senderFirst ? key(s, r, id) : key(r, s, id), sides);
    }

    /** Whether a message with this id, exchanged between the user and the partner, was copied to the user's resources. */
    public boolean wasCopied(JID user, JID partner, String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        final String u = user.toBareJID();
        final String p = partner.toBareJID();
        final int order = u.compareTo(p);
        final Long sides = recent.get().get(order <= 0 ? key(u, p, id) : key(p, u, id));
        // A message to oneself: both sides are the user's.
        final long mine = order == 0 ? FIRST | SECOND : order < 0 ? FIRST : SECOND;
        return sides != null && (sides & mine) != 0;
    }

    private static String key(String first, String second, String id) {
        return new StringBuilder(4 + first.length() + second.length() + id.length())
            .append("2 ").append(first).append(' ').append(second).append(' ').append(id).toString();
    }
}
