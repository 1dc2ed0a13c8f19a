package org.igniterealtime.openfire.plugins.carbons.admin;

import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a submitted settings form amounts to. */
class SettingsFormTest {

    private final Map<String, String> submitted = new HashMap<>();

    @Test
    void everyBoxTickedAndDropIsTheDefault() {
        tickAll();
        submitted.put(SettingsForm.FORGED_CARBONS, "drop");
        submitted.put(SettingsForm.ALLOWED_GROUPS, "");
        final SettingsForm.Outcome outcome = read();
        assertTrue(outcome.valid());
        assertEquals(RuleSettings.DEFAULTS, outcome.settings());
    }

    @Test
    void anUntickedBoxIsAbsentFromTheSubmission() {
        tickAll();
        submitted.remove(SettingsForm.RULES0);
        submitted.put(SettingsForm.FORGED_CARBONS, "strip");
        final RuleSettings settings = read().settings();
        assertFalse(settings.rules0());
        assertTrue(settings.carbonsEnabled());
        assertEquals(ForgeryMode.STRIP, settings.forgeryMode());
    }

    @Test
    void groupsAreTrimmedDeduplicatedAndMustExist() {
        submitted.put(SettingsForm.FORGED_CARBONS, "drop");
        submitted.put(SettingsForm.ALLOWED_GROUPS, " staff , ,admins,staff");
        final SettingsForm.Outcome ok = SettingsForm.read(submitted::get, group -> true);
        assertEquals(List.of("staff", "admins"), List.copyOf(ok.settings().allowedGroups()));

        final SettingsForm.Outcome unknown = SettingsForm.read(submitted::get, "staff"::equals);
        assertFalse(unknown.valid());
        assertEquals(Map.of(SettingsForm.ALLOWED_GROUPS, "carbons.settings.error.groups"), unknown.errors());
        assertEquals(List.of("admins"), unknown.unknownGroups());
        assertEquals(Set.of("staff", "admins"), unknown.settings().allowedGroups(), "the form shows what was typed");
    }

    @Test
    void promptDeliveryToInactiveDevicesIsOnByDefaultAndCanBeTurnedOff() {
        tickAll();
        submitted.put(SettingsForm.FORGED_CARBONS, "drop");
        assertTrue(read().settings().promptToInactive());
        submitted.remove(SettingsForm.PROMPT_TO_INACTIVE);
        assertEquals(RuleSettings.DEFAULTS.withPromptToInactive(false), read().settings());
    }

    @Test
    void aMissingOrUnknownForgeryModeIsAnError() {
        assertEquals("carbons.settings.error.forged", read().errors().get(SettingsForm.FORGED_CARBONS));
        submitted.put(SettingsForm.FORGED_CARBONS, "explode");
        assertFalse(read().valid());
    }

    @Test
    void aGroupNameLongerThanOpenfireStoresIsUnknown() {
        submitted.put(SettingsForm.FORGED_CARBONS, "pass");
        submitted.put(SettingsForm.ALLOWED_GROUPS, "x".repeat(51));
        assertFalse(SettingsForm.read(submitted::get, group -> true).valid());
    }

    @Test
    void togglesFollowThePageOrderAndShowTheDefaults() {
        final List<SettingsForm.Toggle> toggles = SettingsForm.toggles(RuleSettings.DEFAULTS.withRules0(false));
        assertEquals(List.of("enabled", "rules0", "promptToInactive", "copyImPayloads", "honourNoCopy", "errorReplies", "mucPrivateSameNickOnly"),
            toggles.stream().map(SettingsForm.Toggle::field).toList());
        assertFalse(toggles.get(1).checked());
        assertTrue(toggles.get(1).byDefault());
    }

    private void tickAll() {
        for (String field : List.of(SettingsForm.ENABLED, SettingsForm.RULES0, SettingsForm.PROMPT_TO_INACTIVE, SettingsForm.COPY_IM_PAYLOADS,
            SettingsForm.HONOUR_NO_COPY, SettingsForm.ERROR_REPLIES, SettingsForm.MUC_SAME_NICK_ONLY)) {
            submitted.put(field, "true");
        }
    }

    private SettingsForm.Outcome read() {
        return SettingsForm.read(submitted::get, group -> false);
    }
}
