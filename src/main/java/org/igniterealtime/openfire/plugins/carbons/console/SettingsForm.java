package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.settings.CarbonsSettings;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings page's form: reads what the administrator submitted into a complete {@link RuleSettings}, or
 * says which fields are wrong. Checkboxes follow HTML: a ticked box is submitted, an unticked one is absent.
 */
public final class SettingsForm {


    /** The longest group name Openfire stores (ofGroup.groupName). */
    static final int GROUP_NAME_MAX = 50;

    /**
     * What the submission amounts to.
     *
     * @param settings the submitted settings; meaningful only when there are no errors
     * @param errors   field name to the i18n key of its error message, in form order
     * @param unknownGroups groups named in the allowed groups field that do not exist, for the error message
     */
    public record Outcome(RuleSettings settings, Map<String, String> errors, List<String> unknownGroups) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * An on/off setting as the page shows it.
     *
     * @param field     form field (and property suffix)
     * @param box       the box of the page it belongs in: "carbons" or "rules"
     * @param checked   its value now (or as submitted)
     * @param byDefault its value on a fresh installation
     */
    public record Toggle(String field, String box, boolean checked, boolean byDefault) {
    }

    private SettingsForm() {
    }

    /** The on/off settings in page order. */
    public static List<Toggle> toggles(RuleSettings shown) {
        final RuleSettings d = RuleSettings.DEFAULTS;
        return List.of(
            new Toggle(CarbonsSettings.ENABLED, "carbons", shown.carbonsEnabled(), d.carbonsEnabled()),
            new Toggle(CarbonsSettings.RULES0, "carbons", shown.rules0(), d.rules0()),
            new Toggle(CarbonsSettings.PROMPT_TO_INACTIVE, "carbons", shown.promptToInactive(), d.promptToInactive()),
            new Toggle(CarbonsSettings.COPY_IM_PAYLOADS, "rules", shown.copyImPayloads(), d.copyImPayloads()),
            new Toggle(CarbonsSettings.HONOUR_NO_COPY, "rules", shown.honourNoCopy(), d.honourNoCopy()),
            new Toggle(CarbonsSettings.ERROR_REPLIES, "rules", shown.errorReplies(), d.errorReplies()),
            new Toggle(CarbonsSettings.MUC_SAME_NICK_ONLY, "rules", shown.mucSameNickOnly(), d.mucSameNickOnly()));
    }

    /**
     * @param parameter   the request parameter of a field name, null when absent
     * @param groupExists whether a group of that name exists
     */
    public static Outcome read(Function<String, String> parameter, Predicate<String> groupExists) {
        final Map<String, String> errors = new LinkedHashMap<>();
        ForgeryMode forgeryMode = ForgeryMode.named(parameter.apply(CarbonsSettings.FORGED_CARBONS));
        if (forgeryMode == null) {
            errors.put(CarbonsSettings.FORGED_CARBONS, "carbons.settings.error.forged");
            forgeryMode = RuleSettings.DEFAULTS.forgeryMode();
        }
        final Set<String> groups = RuleSettings.parseGroups(parameter.apply(CarbonsSettings.ALLOWED_GROUPS));
        final List<String> unknown = groups.stream().filter(group -> group.length() > GROUP_NAME_MAX || !groupExists.test(group)).toList();
        if (!unknown.isEmpty()) {
            errors.put(CarbonsSettings.ALLOWED_GROUPS, "carbons.settings.error.groups");
        }
        final RuleSettings settings = new RuleSettings(ticked(parameter, CarbonsSettings.ENABLED), ticked(parameter, CarbonsSettings.RULES0),
            ticked(parameter, CarbonsSettings.COPY_IM_PAYLOADS), ticked(parameter, CarbonsSettings.HONOUR_NO_COPY), ticked(parameter, CarbonsSettings.ERROR_REPLIES),
            ticked(parameter, CarbonsSettings.MUC_SAME_NICK_ONLY), ticked(parameter, CarbonsSettings.PROMPT_TO_INACTIVE), forgeryMode, groups);
        return new Outcome(settings, errors, unknown);
    }

    /** The allowed groups as the form shows them: comma-separated, in the order given. */
    public static String groupsText(Set<String> groups) {
        return String.join(", ", groups);
    }

    private static boolean ticked(Function<String, String> parameter, String field) {
        final String value = parameter.apply(field);
        return value != null && !value.equalsIgnoreCase("false");
    }
}
