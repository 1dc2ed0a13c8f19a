package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.PropertyEventListener;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The plugin's settings as Openfire system properties, read again whenever one changes (no restart).
 */
final class CarbonsSettings implements PropertyEventListener {

    static final String PREFIX = "plugin.carbons.";
    /** Carbons on or off for the whole server. */
    static final String ENABLED = PREFIX + "enabled";
    /** Advertise urn:xmpp:carbons:rules:0 and apply its recommended rules. */
    static final String RULES0 = PREFIX + "rules0";
    /** Under rules:0, copy messages that only carry receipts, chat states or chat markers. */
    static final String COPY_IM_PAYLOADS = PREFIX + "copyImPayloads";
    /** A no-copy hint alone, without private, prevents carbons. */
    static final String HONOUR_NO_COPY = PREFIX + "honourNoCopy";
    /** Copy an error reply to a message that was itself copied. */
    static final String ERROR_REPLIES = PREFIX + "errorReplies";
    /** Copy outgoing MUC private messages only to resources joined to the room with the same nick. */
    static final String MUC_SAME_NICK_ONLY = PREFIX + "mucPrivateSameNickOnly";
    /** drop, strip or pass forged carbons addressed to local users. */
    static final String FORGED_CARBONS = PREFIX + "forgedCarbons";
    /** Comma-separated groups whose members may enable carbons; empty for everyone. */
    static final String ALLOWED_GROUPS = PREFIX + "allowedGroups";

    private final Consumer<RuleSettings> onChange;

    CarbonsSettings(Consumer<RuleSettings> onChange) {
        this.onChange = onChange;
    }

    static RuleSettings read() {
        final RuleSettings d = RuleSettings.DEFAULTS;
        return new RuleSettings(
            JiveGlobals.getBooleanProperty(ENABLED, d.carbonsEnabled()),
            JiveGlobals.getBooleanProperty(RULES0, d.rules0()),
            JiveGlobals.getBooleanProperty(COPY_IM_PAYLOADS, d.copyImPayloads()),
            JiveGlobals.getBooleanProperty(HONOUR_NO_COPY, d.honourNoCopy()),
            JiveGlobals.getBooleanProperty(ERROR_REPLIES, d.errorReplies()),
            JiveGlobals.getBooleanProperty(MUC_SAME_NICK_ONLY, d.mucSameNickOnly()),
            ForgeryMode.parse(JiveGlobals.getProperty(FORGED_CARBONS, d.forgeryMode().name())),
            groups(JiveGlobals.getProperty(ALLOWED_GROUPS, "")));
    }

    private static Set<String> groups(String value) {
        final Set<String> groups = new LinkedHashSet<>();
        for (String group : value.split(",")) {
            if (!group.isBlank()) {
                groups.add(group.trim());
            }
        }
        return groups;
    }

    void start() {
        PropertyEventDispatcher.addListener(this);
    }

    void stop() {
        PropertyEventDispatcher.removeListener(this);
    }

    @Override
    public void propertySet(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void propertyDeleted(String property, Map<String, Object> params) {
        changed(property);
    }

    @Override
    public void xmlPropertySet(String property, Map<String, Object> params) {
    }

    @Override
    public void xmlPropertyDeleted(String property, Map<String, Object> params) {
    }

    private void changed(String property) {
        if (property != null && property.startsWith(PREFIX)) {
            onChange.accept(read());
        }
    }
}
