package org.igniterealtime.openfire.plugins.carbons.engine;

/**
 * Things the plugin did besides judging a message, counted for administrators.
 */
public enum Incident {
    FORGED_CARBON_DROPPED("forged carbon dropped"),
    FORGED_CARBON_STRIPPED("forged carbon delivered without its carbons element"),
    FORGED_CARBON_PASSED("forged carbon delivered unchanged"),
    BOUNCED_CARBON_DROPPED("error bounced by a carbon copy dropped"),
    ENABLE_FORBIDDEN("enable refused by the group policy"),
    MUC_PRIVATE_NOT_JOINED("copy of a sent MUC private message withheld from a resource not in the room under the same nick");

    private final String description;

    Incident(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
