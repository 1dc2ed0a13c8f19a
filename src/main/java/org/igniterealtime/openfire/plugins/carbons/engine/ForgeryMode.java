package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * What happens to a message that reaches a user carrying a carbons {@code <received/>} or {@code <sent/>}
 * element without coming from the user's own bare JID: a forged carbon (CVE-2017-5589, CVE-2019-16235).
 */
public enum ForgeryMode {
    /** Not delivered. */
    DROP,
    /** Delivered without the carbons elements, so no client can mistake it for a copy. */
    STRIP,
    /** Delivered as it is; clients must reject it themselves (XEP-0280 §11). */
    PASS;

    /** The mode named by a setting, case-insensitively; DROP for anything unknown. */
    public static ForgeryMode parse(String value) {
        final ForgeryMode mode = named(value);
        return mode == null ? DROP : mode;
    }

    /** The mode of this name, case-insensitively, or null when there is none (the settings form says so). */
    public static ForgeryMode named(String value) {
        if (value != null) {
            for (ForgeryMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
        }
        return null;
    }
}
