package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * The server's XEP-0352 delay queue, as far as a carbon copy needs to know it: whether the server is deciding, on
 * this thread and right now, if the copy may wait in an inactive session's queue. The Openfire adapter recognises
 * Openfire's own decision (CsiManager); the engine knows nothing of it.
 */
public interface ClientStateDecision {

    /**
     * Asked by a copy whose forwarded message the server would deliver at once ({@link ClientStateRules}) when
     * something reads its body.
     *
     * @return true when the asking code is the server's client state decision, which then delivers the copy at once
     */
    boolean deciding(CarbonCopy copy);
}
