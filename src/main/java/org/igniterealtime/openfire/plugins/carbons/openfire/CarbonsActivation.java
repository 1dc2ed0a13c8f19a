package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.openfire.session.LocalClientSession;
import org.xmpp.packet.JID;

import java.util.function.Predicate;

/**
 * Who holds a session's "carbons enabled" state: this plugin, or Openfire's built-in carbons.
 * <p>
 * Openfire's own carbons (IQMessageCarbonsHandler, and the copies made by its MessageRouter and RoutingTable)
 * act only on sessions whose {@link ClientSession#isMessageCarbonsEnabled()} flag is set. While the plugin is
 * loaded it keeps that flag cleared on every session and holds the state itself, so exactly one
 * implementation produces copies; on unload it sets the flag again for the sessions it holds, so their
 * clients keep getting carbons from Openfire without enabling again.
 * <p>
 * Every change goes through {@link #apply}, under one lock, so that an enable or disable that arrives while
 * the state changes hands is neither lost nor resurrected.
 */
public final class CarbonsActivation {

    private final CarbonsState state;
    private final SessionManager sessionManager;
    private final Object handover = new Object();
    private boolean handedBack;

    public CarbonsActivation(CarbonsState state, SessionManager sessionManager) {
        this.state = state;
        this.sessionManager = sessionManager;
    }

    /**
     * Takes over the sessions of this node that enabled Openfire's built-in carbons.
     *
     * @return how many sessions were taken over
     */
    public int takeOver() {
        int taken = 0;
        synchronized (handover) {
            handedBack = false;
            for (ClientSession session : sessionManager.getSessions()) {
                if (session instanceof LocalClientSession && session.isMessageCarbonsEnabled()) {
                    // The plugin's state first, Openfire's flag second: one of them covers the session throughout.
                    state.enable(session.getAddress(), session.getStreamID().getID());
                    session.setMessageCarbonsEnabled(false);
                    taken++;
                }
            }
        }
        return taken;
    }

    /**
     * Hands the enabled state of this node's sessions back to Openfire's built-in carbons: their flag is set while
     * the plugin still holds the state, so at every moment one of the two covers each enabled session; copies the
     * built-in carbons make meanwhile are seen by the plugin, which then makes none of its own.
     *
     * @return how many sessions keep carbons through Openfire
     */
    public int handBack() {
        int handed = 0;
        synchronized (handover) {
            handedBack = true;
            for (String resource : state.localEntries()) {
                final JID address = new JID(resource);
                final ClientSession session = sessionManager.getSession(address);
                if (session != null && state.isEnabled(session)) {
                    session.setMessageCarbonsEnabled(true);
                    handed++;
                }
            }
        }
        return handed;
    }

    /** Forgets this node's state once Openfire holds it again (after {@link #handBack()} and the interceptor is gone). */
    public void forgetAll() {
        synchronized (handover) {
            for (String resource : state.localEntries()) {
                state.forget(new JID(resource));
            }
        }
    }

    /**
     * Turns carbons off for this node's sessions whose user no longer passes the test (a narrower group policy).
     * XEP-0280 has no way to tell the client; it simply stops getting copies.
     *
     * @return how many sessions lost carbons
     */
    public int revokeUnless(Predicate<JID> allowed) {
        int revoked = 0;
        synchronized (handover) {
            for (String resource : state.localEntries()) {
                final JID address = new JID(resource);
                if (!allowed.test(address)) {
                    state.forget(address);
                    revoked++;
                }
            }
        }
        return revoked;
    }

    /** Enables or disables carbons for a session, wherever the state currently lives. */
    public void apply(ClientSession session, boolean enable) {
        final String streamId = session.getStreamID().getID();
        synchronized (handover) {
            if (enable) {
                state.enable(session.getAddress(), streamId);
            } else {
                state.disable(session.getAddress(), streamId);
            }
            // While loaded: keeps Openfire's own carbons silent for this session, whatever it was before.
            // While handing back: Openfire's flag is the truth from now on.
            session.setMessageCarbonsEnabled(handedBack && enable);
        }
    }
}
