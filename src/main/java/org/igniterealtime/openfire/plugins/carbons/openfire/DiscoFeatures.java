package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.Namespaces;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.disco.IQDiscoInfoHandler;

/**
 * The server's disco#info features for carbons (XEP-0280 §3, §6.1), following the settings.
 */
public final class DiscoFeatures {

    private final IQDiscoInfoHandler disco;

    public DiscoFeatures(IQDiscoInfoHandler disco) {
        this.disco = disco;
    }

    public void advertise(RuleSettings settings) {
        set(Namespaces.CARBONS, settings.carbonsEnabled());
        set(Namespaces.CARBONS_RULES, settings.carbonsEnabled() && settings.rules0());
    }

    /** What Openfire's built-in carbons advertise: carbons:2, without the rules. */
    public void restoreBuiltIn() {
        set(Namespaces.CARBONS_RULES, false);
        set(Namespaces.CARBONS, true);
    }

    private void set(String feature, boolean on) {
        if (on) {
            disco.addServerFeature(feature);
        } else {
            disco.removeServerFeature(feature);
        }
    }
}
