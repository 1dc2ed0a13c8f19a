package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.settings.GroupPolicy;
import org.dom4j.Element;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.Incident;
import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.IQHandlerInfo;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.handler.IQHandler;
import org.jivesoftware.openfire.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

import java.util.function.Supplier;

/**
 * Answers {@code <enable/>} and {@code <disable/>} in urn:xmpp:carbons:2 (XEP-0280 §4, §5). Registered for the
 * namespace, it replaces Openfire's built-in handler while the plugin is loaded.
 */
public final class CarbonsIQHandler extends IQHandler {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsIQHandler.class);

    private final IQHandlerInfo info = new IQHandlerInfo("enable", Namespaces.CARBONS);
    private final String domain;
    private final SessionManager sessions;
    private final CarbonsActivation activation;
    private final Supplier<RuleSettings> settings;
    private final GroupPolicy policy;
    private final CarbonsStatistics statistics;

    public CarbonsIQHandler(String domain, SessionManager sessions, CarbonsActivation activation, Supplier<RuleSettings> settings,
                     GroupPolicy policy, CarbonsStatistics statistics) {
        super("Message Carbons plugin");
        this.domain = domain;
        this.sessions = sessions;
        this.activation = activation;
        this.settings = settings;
        this.policy = policy;
        this.statistics = statistics;
    }

    @Override
    public IQHandlerInfo getInfo() {
        return info;
    }

    @Override
    public IQ handleIQ(IQ request) {
        if (request.getType() == IQ.Type.result || request.getType() == IQ.Type.error) {
            return null; // RFC 6120 §8.2.3: never answer a response.
        }
        if (request.getType() != IQ.Type.set) {
            return error(request, PacketError.Condition.bad_request);
        }
        final Element child = request.getChildElement();
        final boolean enable = "enable".equals(child.getName());
        if (!enable && !"disable".equals(child.getName())) {
            return error(request, PacketError.Condition.bad_request);
        }
        final JID from = request.getFrom();
        // §4.1, §5.1: <not-allowed/> "if the request is from a client that is not hosted on this server".
        final ClientSession session = from == null || from.getNode() == null || from.getResource() == null
            || !domain.equals(from.getDomain()) ? null : sessions.getSession(from);
        if (session == null) {
            return error(request, PacketError.Condition.not_allowed);
        }
        // §5: a client may not change another entity's carbons (the example answers not-allowed).
        final JID to = request.getTo();
        if (to != null && !isServer(to) && !to.toBareJID().equals(from.toBareJID())) {
            return error(request, PacketError.Condition.not_allowed);
        }
        final RuleSettings current = settings.get();
        if (!current.carbonsEnabled()) {
            return error(request, PacketError.Condition.service_unavailable);
        }
        // §4.1: <forbidden/> "if the server's policy forbids the client from enabling Carbons".
        if (enable && !policy.mayEnable(from, current.allowedGroups())) {
            statistics.incident(Incident.ENABLE_FORBIDDEN, 1);
            Log.debug("{} may not enable carbons (not in {})", from, current.allowedGroups());
            return error(request, PacketError.Condition.forbidden);
        }
        activation.apply(session, enable);
        Log.debug("{} {} carbons", from, enable ? "enabled" : "disabled");
        return IQ.createResultIQ(request);
    }

    private boolean isServer(JID to) {
        return to.getNode() == null && to.getResource() == null && domain.equals(to.getDomain());
    }

    private static IQ error(IQ request, PacketError.Condition condition) {
        final IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(request.getChildElement().createCopy());
        reply.setError(condition);
        return reply;
    }
}
