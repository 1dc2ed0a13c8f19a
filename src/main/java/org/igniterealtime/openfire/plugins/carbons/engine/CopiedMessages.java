package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Ids of recently carbon-copied messages, per conversation, so that an error reply to one of them can be copied too
 * (XEP-0280 §6.1: "a message of type error is eligible if it is sent in response to a message that was itself
 * eligible"). The ids live in a map of this node's, bounded in size and age ({@link RecentMap}), which the
 * per-message path writes. An error is routed on the node its sender is connected to. For an answer from a user of
 * this server that is the node that delivered the original, which remembers it too when another node routed it
 * ({@link CarbonsEngine#arrivedFromAnotherNode}); so only messages that left for another server or a room, whose
 * answers may enter on any node, are also published, off the routing thread, into a cache all nodes share, and an
 * error this node knows nothing of is looked up there (a cluster read, for errors only). Publishing every copied
 * message cost a two-node Openfire 5.1.1 cluster about 750 µs of CPU per message (issue 18, docs/benchmarks.md).
 * Entries made before a server joins or leaves a cluster stay behind; an error answering one of those few messages
 * is not copied.
 * <p>
 * One entry per copied message serves both sides: its key names the two users in a fixed order and the message id,
 * its value says whose resources got copies (bit 1: the first user's, bit 2: the second's). Every copied message
 * costs one key and one put, and on a cluster one write to the distributed map, in a batch. Keys start with "2 " so that they
 * never meet the keys of earlier versions (one per side, starting with the user's bare JID) in a cluster being
 * upgraded node by node.
 */
public final class CopiedMessages {

    private static final long FIRST = 1;
    private static final long SECOND = 2;

    private final Map<String, Long> recent;
    private final BooleanSupplier clustered;
    private final BiConsumer<String, Long> publish;
    private final Function<String, Long> lookUpShared;

    /** Ids kept in this map only (a server that is never clustered; tests). */
    public CopiedMessages(Map<String, Long> recent) {
        this(recent, () -> false, (key, sides) -> { }, key -> null);
    }

    /**
     * @param recent       this node's map, bounded in size and age
     * @param clustered    whether the server is clustered right now
     * @param publish      hands an entry to the cluster-wide cache, off the routing thread
     * @param lookUpShared reads an entry of the cluster-wide cache
     */
    public CopiedMessages(Map<String, Long> recent, BooleanSupplier clustered, BiConsumer<String, Long> publish,
                          Function<String, Long> lookUpShared) {
        this.recent = recent;
        this.clustered = clustered;
        this.publish = publish;
        this.lookUpShared = lookUpShared;
    }

    /** Whether the server is clustered right now. */
    boolean clustered() {
        return clustered.getAsBoolean();
    }

    /**
     * Remembers the message with this id from the sender to the recipient (either may be another server's user), and
     * whose resources got copies of it.
     *
     * @param share also publish it to the cluster-wide cache while clustered; false for a message whose answers are
     *              routed on this node, where their senders are connected (see {@link CarbonsEngine#arrivedFromAnotherNode})
     */
    public void remember(JID sender, JID recipient, String id, boolean copiedToSender, boolean copiedToRecipient,
                         boolean share) {
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
        final String key = senderFirst ? key(s, r, id) : key(r, s, id);
        recent.put(key, sides);
        if (share && clustered.getAsBoolean()) {
            publish.accept(key, sides);
        }
    }

    /** Whether a message with this id, exchanged between the user and the partner, was copied to the user's resources. */
    public boolean wasCopied(JID user, JID partner, String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        final String u = user.toBareJID();
        final String p = partner.toBareJID();
        final int order = u.compareTo(p);
        final String key = order <= 0 ? key(u, p, id) : key(p, u, id);
        Long sides = recent.get(key);
        if (sides == null && clustered.getAsBoolean()) {
            sides = lookUpShared.apply(key); // the original was copied on another node, if at all
        }
        // A message to oneself: both sides are the user's.
        final long mine = order == 0 ? FIRST | SECOND : order < 0 ? FIRST : SECOND;
        return sides != null && (sides & mine) != 0;
    }

    private static String key(String first, String second, String id) {
        return new StringBuilder(4 + first.length() + second.length() + id.length())
            .append("2 ").append(first).append(' ').append(second).append(' ').append(id).toString();
    }
}
