package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * XEP-0280 over plain Tinder types: decides eligibility before routing, plans and builds the copies after.
 * Holds no Openfire singletons; the server is reached only through {@link CarbonsDirectory}.
 */
public final class CarbonsEngine {

    private final CarbonsDirectory directory;
    private final CarbonsStatistics statistics;
    private volatile RuleSettings settings;

    public CarbonsEngine(CarbonsDirectory directory, RuleSettings settings, CarbonsStatistics statistics) {
        this.directory = directory;
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

    public CarbonsStatistics statistics() {
        return statistics;
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
        final RuleSettings rules = settings;

        Eligibility asSent = null;
        if (from != null && from.getResource() != null && directory.isLocalUser(from)) {
            asSent = EligibilityRules.decide(message, Direction.SENT, to != null && directory.isMuc(to), rules);
            statistics.decided(asSent);
        }
        Eligibility asReceived = null;
        if (to != null && directory.isLocalUser(to)) {
            asReceived = EligibilityRules.decide(message, Direction.RECEIVED, from != null && directory.isMuc(from), rules);
            statistics.decided(asReceived);
        }
        if ((asSent == null || !asSent.copies()) && (asReceived == null || !asReceived.copies())) {
            return null;
        }
        return new InFlightMessage(message, asSent == null ? null : from, to, asSent, asReceived);
    }

    /**
     * Plans and builds the carbon copies once the server has routed the original.
     *
     * @return the copies, each addressed to one resource; empty when there is nobody to copy to
     */
    public List<Message> afterRouting(InFlightMessage routed) {
        final Collection<JID> senderCarbons = routed.copiesAsSent()
            ? directory.carbonsResources(routed.sender().asBareJID()) : Collections.emptyList();
        final Collection<JID> recipientCarbons = routed.copiesAsReceived()
            ? directory.carbonsResources(routed.recipient().asBareJID()) : Collections.emptyList();
        final FanOut plan = FanOut.plan(routed.sender(), senderCarbons, recipientCarbons, routed.deliveredTo());
        if (plan.isEmpty()) {
            return Collections.emptyList();
        }
        final List<Message> copies = new ArrayList<>(plan.sent().size() + plan.received().size());
        addCopies(copies, routed.message(), Direction.SENT, routed.sender(), plan.sent());
        addCopies(copies, routed.message(), Direction.RECEIVED, routed.recipient(), plan.received());
        return copies;
    }

    private void addCopies(List<Message> copies, Message original, Direction direction, JID user, List<JID> targets) {
        if (targets.isEmpty()) {
            return;
        }
        final CarbonWrapper wrapper = CarbonWrapper.wrap(original, direction, user);
        for (JID target : targets) {
            copies.add(wrapper.addressedTo(target));
        }
        statistics.copied(direction, targets.size());
    }
}
