package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Which resources get a carbon copy of one routed message, and of which kind.
 *
 * @param sent     resources of the sending user that get a {@code <sent/>} copy
 * @param received resources of the recipient that get a {@code <received/>} copy
 */
public record FanOut(List<JID> sent, List<JID> received) {

    public static final FanOut NONE = new FanOut(List.of(), List.of());

    public boolean isEmpty() {
        return sent.isEmpty() && received.isEmpty();
    }

    /**
     * Plans the copies so that no resource sees a message twice (XEP-0280 revision 0.5: "each resource only
     * receives one copy of the message, forked or wrapped").
     *
     * @param sendingResource  the full JID that sent the original, or null if it was not sent by a local user
     * @param senderCarbons    carbons-enabled resources of the sending user (empty when the message is not
     *                         eligible as sent)
     * @param recipientCarbons carbons-enabled resources of the recipient (empty when the message is not eligible
     *                         as received)
     * @param gotOriginal      resources the server delivered the original to under RFC 6121 rules
     * @return the plan
     */
    public static FanOut plan(JID sendingResource, Collection<JID> senderCarbons, Collection<JID> recipientCarbons,
                              Collection<JID> gotOriginal) {
        if (senderCarbons.isEmpty() && recipientCarbons.isEmpty()) {
            return NONE;
        }
        // §8: every other resource of the sender, whether or not the sending one enabled carbons.
        final List<JID> sent = without(senderCarbons, sendingResource, gotOriginal, List.of());
        // §7: every resource of the recipient that did not get the original. For a message to oneself the
        // resources already holding a sent copy are left out, so each sees it once.
        final List<JID> received = without(recipientCarbons, sendingResource, gotOriginal, sent);
        return new FanOut(sent, received);
    }

    private static List<JID> without(Collection<JID> candidates, JID sendingResource, Collection<JID> gotOriginal,
                                     Collection<JID> alreadyCopied) {
        if (candidates.isEmpty()) {
            return Collections.emptyList();
        }
        final List<JID> result = new ArrayList<>(candidates.size());
        for (JID candidate : candidates) {
            if (!candidate.equals(sendingResource) && !gotOriginal.contains(candidate)
                && !alreadyCopied.contains(candidate) && !result.contains(candidate)) {
                result.add(candidate);
            }
        }
        return result;
    }
}
