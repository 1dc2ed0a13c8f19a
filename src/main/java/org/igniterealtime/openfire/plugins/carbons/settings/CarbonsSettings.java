package org.igniterealtime.openfire.plugins.carbons.settings;

import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.PropertyEventDispatcher;
import org.jivesoftware.util.PropertyEventListener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The plugin's settings as Openfire system properties, read again whenever one changes (no restart). Each
 * property is named after its field on the settings page. On Openfire 5 they are registered as SystemProperty
 * (listed with default, description and plugin under System Properties, and the change callback comes from there);
 * where Openfire has no SystemProperty (the 4.2.0 the tests run on) a property event listener does the same.
 */
public final class CarbonsSettings implements PropertyEventListener {

    public static final String PREFIX = "plugin.carbons.";
    /** Carbons on or off for the whole server. */
    public static final String ENABLED = "enabled";
    /** Advertise urn:xmpp:carbons:rules:0 and apply its recommended rules. */
    public static final String RULES0 = "rules0";
    /** Under rules:0, copy messages that only carry receipts, chat states or chat markers. */
    public static final String COPY_IM_PAYLOADS = "copyImPayloads";
    /** A no-copy hint alone, without private, prevents carbons. */
    public static final String HONOUR_NO_COPY = "honourNoCopy";
    /** Copy an error reply to a message that was itself copied. */
    public static final String ERROR_REPLIES = "errorReplies";
    /** Copy outgoing MUC private messages only to resources joined to the room with the same nick. */
    public static final String MUC_SAME_NICK_ONLY = "mucPrivateSameNickOnly";
    /** Deliver carbons to inactive sessions (XEP-0352) as promptly as the messages they forward. */
    public static final String PROMPT_TO_INACTIVE = "promptToInactive";
    /** drop, strip or pass forged carbons addressed to local users. */
    public static final String FORGED_CARBONS = "forgedCarbons";
    /** Comma-separated groups whose members may enable carbons; empty for everyone. */
    public static final String ALLOWED_GROUPS = "allowedGroups";

    /** The system property of a setting: {@link #PREFIX} and its name, which is also its field on the settings page. */
    public static String key(String name) {
        return PREFIX + name;
    }

    /** Every setting with its type and default, in the order of the settings page. */
    static final List<SystemProperties.Setting> ALL;

    static {
        final RuleSettings d = RuleSettings.DEFAULTS;
        ALL = List.of(
            new SystemProperties.Setting(key(ENABLED), Boolean.class, d.carbonsEnabled()),
            new SystemProperties.Setting(key(RULES0), Boolean.class, d.rules0()),
            new SystemProperties.Setting(key(PROMPT_TO_INACTIVE), Boolean.class, d.promptToInactive()),
            new SystemProperties.Setting(key(COPY_IM_PAYLOADS), Boolean.class, d.copyImPayloads()),
            new SystemProperties.Setting(key(HONOUR_NO_COPY), Boolean.class, d.honourNoCopy()),
            new SystemProperties.Setting(key(ERROR_REPLIES), Boolean.class, d.errorReplies()),
            new SystemProperties.Setting(key(MUC_SAME_NICK_ONLY), Boolean.class, d.mucSameNickOnly()),
            new SystemProperties.Setting(key(FORGED_CARBONS), String.class, d.forgeryMode().name().toLowerCase()),
            new SystemProperties.Setting(key(ALLOWED_GROUPS), String.class, String.join(",", d.allowedGroups())));
    }

    private final Consumer<RuleSettings> onChange;
    private final Optional<SystemProperties> systemProperties;

    public CarbonsSettings(Consumer<RuleSettings> onChange) {
        this(onChange, SystemProperties.find());
    }

    public CarbonsSettings(Consumer<RuleSettings> onChange, Optional<SystemProperties> systemProperties) {
        this.onChange = onChange;
        this.systemProperties = systemProperties;
    }

    public static RuleSettings read() {
        final RuleSettings d = RuleSettings.DEFAULTS;
        return new RuleSettings(
            JiveGlobals.getBooleanProperty(key(ENABLED), d.carbonsEnabled()),
            JiveGlobals.getBooleanProperty(key(RULES0), d.rules0()),
            JiveGlobals.getBooleanProperty(key(COPY_IM_PAYLOADS), d.copyImPayloads()),
            JiveGlobals.getBooleanProperty(key(HONOUR_NO_COPY), d.honourNoCopy()),
            JiveGlobals.getBooleanProperty(key(ERROR_REPLIES), d.errorReplies()),
            JiveGlobals.getBooleanProperty(key(MUC_SAME_NICK_ONLY), d.mucSameNickOnly()),
            JiveGlobals.getBooleanProperty(key(PROMPT_TO_INACTIVE), d.promptToInactive()),
            ForgeryMode.parse(JiveGlobals.getProperty(key(FORGED_CARBONS), d.forgeryMode().name())),
            RuleSettings.parseGroups(JiveGlobals.getProperty(key(ALLOWED_GROUPS), "")));
    }

    /**
     * Stores the settings that differ from the current ones. Each property change reaches {@link #start() the
     * listener}, which applies it at once.
     *
     * @return property to its new value, in form order; empty when nothing changed
     */
    public static Map<String, String> write(RuleSettings current, RuleSettings wanted) {
        final Map<String, String> changes = new LinkedHashMap<>();
        changed(changes, key(ENABLED), current.carbonsEnabled(), wanted.carbonsEnabled());
        changed(changes, key(RULES0), current.rules0(), wanted.rules0());
        changed(changes, key(PROMPT_TO_INACTIVE), current.promptToInactive(), wanted.promptToInactive());
        changed(changes, key(COPY_IM_PAYLOADS), current.copyImPayloads(), wanted.copyImPayloads());
        changed(changes, key(HONOUR_NO_COPY), current.honourNoCopy(), wanted.honourNoCopy());
        changed(changes, key(ERROR_REPLIES), current.errorReplies(), wanted.errorReplies());
        changed(changes, key(MUC_SAME_NICK_ONLY), current.mucSameNickOnly(), wanted.mucSameNickOnly());
        changed(changes, key(FORGED_CARBONS), current.forgeryMode().name().toLowerCase(), wanted.forgeryMode().name().toLowerCase());
        changed(changes, key(ALLOWED_GROUPS), String.join(",", current.allowedGroups()), String.join(",", wanted.allowedGroups()));
        changes.forEach(JiveGlobals::setProperty);
        return changes;
    }

    private static void changed(Map<String, String> changes, String property, Object current, Object wanted) {
        if (!current.equals(wanted)) {
            changes.put(property, String.valueOf(wanted));
        }
    }

    public void start() {
        if (systemProperties.isPresent()) {
            systemProperties.get().register(ALL, changedValue -> onChange.accept(read()));
        } else {
            PropertyEventDispatcher.addListener(this);
        }
    }

    public void stop() {
        if (systemProperties.isPresent()) {
            systemProperties.get().unregister();
        } else {
            PropertyEventDispatcher.removeListener(this);
        }
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
