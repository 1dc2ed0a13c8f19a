package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * XEP-0280 over plain Tinder types: decides eligibility before routing, plans and builds the copies after.
 * Holds no Openfire singletons; the server is reached only through {@link CarbonsDirectory} and maps of JDK
 * types that the adapter backs with Openfire caches.
 */
public final class CarbonsEngine {

    private final CarbonsDirectory directory;
    private final MucOccupancy occupancy;
    private final CopiedMessages copied;
    private final CarbonsStatistics statistics;
    private volatile RuleSettings settings;
    /** While carbons change hands with Openfire's built-in ones: resources are looked up after routing, see {@link #handingOver}. */
    private volatile boolean handingOver;
    /** The server's XEP-0352 decision as copies can answer it, or null where the server has none the adapter knows. */
    private volatile ClientStateDecision clientState;

    public CarbonsEngine(CarbonsDirectory directory, MucOccupancy occupancy, CopiedMessages copied,
                         RuleSettings settings, CarbonsStatistics statistics) {
        this.directory = directory;
        this.occupancy = occupancy;
        this.copied = copied;
        this.settings = settings;
        this.statistics = statistics;
    }

    public RuleSettings settings() {
        return settings;
    }

    /** Applies new settings to every message judged from now on. */
    public void settings(RuleSettings settings) {
        this.settings = settings;
    }

    /**
     * While carbons change hands with Openfire's built-in carbons (the plugin starting or stopping), a user's
     * carbons-enabled resources are looked up after routing, not before: a message judged just before the state moved
     * over would otherwise miss its copies when the built-in carbons, looking during routing, no longer hold the state.
     * After routing, the copies the built-in carbons still made are known (RoutingTracker) and not repeated.
     */
    public void handingOver(boolean handingOver) {
        this.handingOver = handingOver;
    }

    /**
     * How copies recognise the server deciding whether they may wait for an inactive session: with it (and
     * {@link RuleSettings#promptToInactive()} on), a copy is as urgent as the message it forwards ({@link CarbonCopy}).
     */
    public void clientState(ClientStateDecision clientState) {
        this.clientState = clientState;
    }

    public CarbonsStatistics statistics() {
        return statistics;
    }

    public MucOccupancy occupancy() {
        return occupancy;
    }

    /**
     * Judges a message before the server routes it.
     *
     * @return the message to follow through routing, or null when no carbon can result from it
     */
    public InFlightMessage beforeRouting(Message message) {
        final JID from = message.getFrom();
        // RFC 6120 §10.3.1: a message without 'to' is addressed to the sender's bare JID.
        final JID to = message.getTo() != null ? message.getTo() : (from == null ? null : from.asBareJID());
        // A message to the user's own server (no localpart) is for the administrators; Openfire forwards copies
        // and never finishes routing the original, so there is nothing to follow.
        if (to != null && to.getNode() == null && to.getResource() == null && from != null && to.getDomain().equals(from.getDomain())) {
            return null;
        }
        final RuleSettings rules = settings;
        final boolean error = message.getType() == Message.Type.error;

        Eligibility asSent = null;
        Collection<JID> senderCarbons = Collections.emptyList();
        if (from != null && from.getResource() != null && directory.isLocalUser(from)) {
            asSent = EligibilityRules.decide(message, Direction.SENT, isMuc(to, from),
                error && to != null && copied.wasCopied(from, to, message.getID()), rules);
            if (asSent.copies()) {
                senderCarbons = carbonsResources(from, from);
                if (senderCarbons != null && senderCarbons.isEmpty()) {
                    asSent = Eligibility.NO_CARBONS_RESOURCE;
                }
            }
            statistics.decided(Direction.SENT, asSent);
        }
        Eligibility asReceived = null;
        Collection<JID> recipientCarbons = Collections.emptyList();
        if (to != null && directory.isLocalUser(to)) {
            asReceived = EligibilityRules.decide(message, Direction.RECEIVED, isMuc(from, to),
                error && from != null && copied.wasCopied(to, from, message.getID()), rules);
            if (asReceived.copies()) {
                recipientCarbons = carbonsResources(to, null);
                if (recipientCarbons != null && recipientCarbons.isEmpty()) {
                    asReceived = Eligibility.NO_CARBONS_RESOURCE;
                }
            }
            statistics.decided(Direction.RECEIVED, asReceived);
        }
        if ((asSent == null || !asSent.copies()) && (asReceived == null || !asReceived.copies())) {
            return null;
        }
        // A side's resources are empty unless it copies (never looked up, or none found), null while handing over.
        return new InFlightMessage(message, asSent == null ? null : from, to, asSent, asReceived, senderCarbons, recipientCarbons);
    }

    /**
     * The user's carbons-enabled resources, looked up once per message and side that the rules would copy, before
     * routing: when there are none (most users, on most servers), the message is not followed through routing. The
     * rules come first because they are cheaper than the look-up, which on a cluster reads other nodes' entries (a
     * groupchat message to every occupant would otherwise cost one such read each). The resource that sent the message
     * does not count on the sent side (§8: the copies go to the sender's other resources). Resources that enable carbons
     * while the message is routed miss this one message; those that go away meanwhile are skipped at delivery.
     *
     * @return the resources, or null while carbons change hands ({@link #handingOver})
     */
    private Collection<JID> carbonsResources(JID user, JID sendingResource) {
        if (handingOver) {
            return null; // looked up after routing instead, see handingOver()
        }
        final Collection<JID> found = directory.carbonsResources(user);
        if (sendingResource != null && found.size() == 1 && found.iterator().next().equals(sendingResource)) {
            return Collections.emptyList();
        }
        return found;
    }

    /**
     * The original of a message to a full JID is about to be written to the resource it was addressed to, on the
     * thread that routes it: the received side's copies go out now, ahead of the original, as Openfire's built-in
     * carbons send theirs (RoutingTableImpl.routeToLocalDomain calls ccMessage before the addressee's
     * LocalSession.process, Openfire 5.1.1), so that the user's other devices learn of the message no later than the
     * one it was addressed to. (Whether this shortens a carbon's latency at saturation was not shown: issue 18,
     * docs/benchmarks.md.)
     * <p>
     * Only where routing has nothing left to decide for that side: the addressee itself gets the original. A message to
     * a bare JID (Openfire forks it by priority), one whose addressee is unavailable (rerouted to the bare JID, RFC 6121
     * §8.5.3.2.1), one to the sender's own account (its sides overlap, see {@link FanOut}), and any while carbons change
     * hands are copied after routing, as before.
     *
     * @param routed   the message being routed
     * @param resource the session the original is about to be delivered to
     * @return the received side's copies, or empty when they are left for after routing (or there are none)
     */
    public List<Message> atDelivery(InFlightMessage routed, JID resource) {
        final JID recipient = routed.recipient();
        final Collection<JID> recipientCarbons = routed.recipientCarbons();
        if (routed.receivedCopiedEarly() || routed.asReceived() == null || !routed.asReceived().copies()
            || recipientCarbons == null || recipient.getResource() == null || !recipient.equals(resource)
            || sameAccount(routed.sender(), recipient)) {
            return Collections.emptyList();
        }
        routed.deliveredTo(resource);
        final List<JID> targets = FanOut.plan(routed.sender(), Collections.emptyList(), recipientCarbons,
            routed.deliveredTo()).received();
        routed.receivedCopiedEarly(!targets.isEmpty());
        if (targets.isEmpty()) {
            return Collections.emptyList();
        }
        final List<Message> copies = new ArrayList<>(targets.size());
        addCopies(copies, routed.forwarded(), Direction.RECEIVED, recipient, targets);
        return copies;
    }

    private static boolean sameAccount(JID sender, JID recipient) {
        return sender != null && Objects.equals(sender.getNode(), recipient.getNode())
            && sender.getDomain().equals(recipient.getDomain());
    }

    /**
     * Plans and builds the carbon copies once the server has routed the original: the sent side's, and the received
     * side's unless {@link #atDelivery} sent them already.
     *
     * @return the copies, each addressed to one resource; empty when there is nobody to copy to
     */
    public List<Message> afterRouting(InFlightMessage routed) {
        final Message original = routed.message();
        Collection<JID> senderCarbons = lookedUp(routed.senderCarbons(), routed.sender());
        if (routed.asSent() == Eligibility.MUC_PRIVATE_OUTGOING && settings.mucSameNickOnly()) {
            senderCarbons = sameNickOnly(routed.sender(), routed.recipient(), senderCarbons);
        }
        final boolean receivedEarly = routed.receivedCopiedEarly();
        final Collection<JID> recipientCarbons = receivedEarly ? Collections.emptyList()
            : lookedUp(routed.recipientCarbons(), routed.recipient());
        final FanOut plan = FanOut.plan(routed.sender(), senderCarbons, recipientCarbons, routed.deliveredTo());
        final boolean receivedCopied = receivedEarly ? routed.receivedCopiesMade() : !plan.received().isEmpty();
        if (plan.isEmpty() && !receivedCopied) {
            return Collections.emptyList();
        }
        final List<Message> copies = new ArrayList<>(plan.sent().size() + plan.received().size());
        // One forwarded original for both sides, serialised once for all their copies.
        if (!plan.sent().isEmpty()) {
            addCopies(copies, routed.forwarded(), Direction.SENT, routed.sender(), plan.sent());
        }
        if (!plan.received().isEmpty()) {
            addCopies(copies, routed.forwarded(), Direction.RECEIVED, routed.recipient(), plan.received());
        }
        final JID from = original.getFrom();
        if (from != null) {
            // A user of this server answers from where it is connected: this node, or the one that delivered the
            // original and remembered it too (arrivedFromAnotherNode). Only what left the server is shared.
            copied.remember(from, routed.recipient(), original.getID(), !plan.sent().isEmpty(), receivedCopied,
                !directory.isLocalUser(routed.recipient()));
        }
        return copies;
    }

    /**
     * A message that another cluster node routed reaches a session of this node (or one this node routed without
     * following it). Its recipient answers from here: an error it sends back is routed on this node, and is eligible
     * when the message it answers was (§6.1). So the message is remembered here, each side as the rules judge it,
     * and that error is judged without a cluster read, and without the routing node publishing every message it copied.
     * Nothing while the server is not clustered: there, the node that routes a message also routes its answers.
     *
     * @param message   a message that is not a carbon, about to be delivered
     * @param recipient the session it is delivered to
     */
    public void arrivedFromAnotherNode(Message message, JID recipient) {
        final JID from = message.getFrom();
        if (from == null || message.getType() == Message.Type.error || message.getID() == null || !copied.clustered()) {
            return;
        }
        final RuleSettings rules = settings;
        final boolean toRecipient = EligibilityRules.decide(message, Direction.RECEIVED, isMuc(from, recipient), false, rules).copies();
        final boolean toSender = from.getResource() != null && directory.isLocalUser(from)
            && EligibilityRules.decide(message, Direction.SENT, isMuc(recipient, from), false, rules).copies();
        copied.remember(from, recipient, message.getID(), toSender, toRecipient, false);
    }

    /** A side's resources as judged before routing, or, when they were left for after routing (null), looked up now. */
    private Collection<JID> lookedUp(Collection<JID> judged, JID user) {
        return judged != null ? judged : directory.carbonsResources(user);
    }

    /**
     * A MUC partner: an address on a MUC service of this server, or a room one of the user's resources joined
     * (rooms on other servers). Local users are never rooms, which keeps this off the path of local chats.
     */
    private boolean isMuc(JID partner, JID user) {
        if (partner == null) {
            return false;
        }
        if (directory.isMucService(partner)) {
            return true;
        }
        return partner.getNode() != null && !directory.isLocalUser(partner)
            && occupancy.anyJoined(directory.onlineResources(user.asBareJID()), partner);
    }

    /** §6.1: the server SHOULD limit carbon-copying of MUC private messages to clients sharing the nick. */
    private Collection<JID> sameNickOnly(JID sender, JID occupant, Collection<JID> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        final String nick = occupancy.nick(sender, occupant);
        final List<JID> sharing = new ArrayList<>(candidates.size());
        for (JID candidate : candidates) {
            if (nick != null && nick.equals(occupancy.nick(candidate, occupant))) {
                sharing.add(candidate);
            }
        }
        final int withheld = (int) candidates.stream().filter(c -> !c.equals(sender) && !sharing.contains(c)).count();
        if (withheld > 0) {
            statistics.incident(Incident.MUC_PRIVATE_NOT_JOINED, withheld);
        }
        return sharing;
    }

    private void addCopies(List<Message> copies, CarbonWrapper.Forwarded forwarded, Direction direction, JID user,
                           List<JID> targets) {
        final CarbonWrapper wrapper = CarbonWrapper.wrap(forwarded, direction, user);
        final ClientStateDecision decision = settings.promptToInactive() ? clientState : null;
        for (JID target : targets) {
            copies.add(wrapper.addressedTo(target, decision));
        }
        statistics.copied(direction, targets);
    }
}
