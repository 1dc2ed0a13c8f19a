package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.igniterealtime.openfire.plugins.carbons.settings.CarbonsSettings;
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
        submitted.put(CarbonsSettings.FORGED_CARBONS, "drop");
        submitted.put(CarbonsSettings.ALLOWED_GROUPS, "");
        final SettingsForm.Outcome outcome = read();
        assertTrue(outcome.valid());
        assertEquals(RuleSettings.DEFAULTS, outcome.settings());
    }

    @Test
    void anUntickedBoxIsAbsentFromTheSubmission() {
        tickAll();
        submitted.remove(CarbonsSettings.RULES0);
        submitted.put(CarbonsSettings.FORGED_CARBONS, "strip");
        final RuleSettings settings = read().settings();
        assertFalse(settings.rules0());
        assertTrue(settings.carbonsEnabled());
        assertEquals(ForgeryMode.STRIP, settings.forgeryMode());
    }

    @Test
    void groupsAreTrimmedDeduplicatedAndMustExist() {
        submitted.put(CarbonsSettings.FORGED_CARBONS, "drop");
        submitted.put(CarbonsSettings.ALLOWED_GROUPS, " staff , ,admins,staff");
        final SettingsForm.Outcome ok = SettingsForm.read(submitted::get, group -> true);
        assertEquals(List.of("staff", "admins"), List.copyOf(ok.settings().allowedGroups()));

        final SettingsForm.Outcome unknown = SettingsForm.read(submitted::get, "staff"::equals);
        assertFalse(unknown.valid());
        assertEquals(Map.of(CarbonsSettings.ALLOWED_GROUPS, "carbons.settings.error.groups"), unknown.errors());
        assertEquals(List.of("admins"), unknown.unknownGroups());
        assertEquals(Set.of("staff", "admins"), unknown.settings().allowedGroups(), "the form shows what was typed");
    }

    @Test
    void promptDeliveryToInactiveDevicesIsOnByDefaultAndCanBeTurnedOff() {
        tickAll();
        submitted.put(CarbonsSettings.FORGED_CARBONS, "drop");
        assertTrue(read().settings().promptToInactive());
        submitted.remove(CarbonsSettings.PROMPT_TO_INACTIVE);
        assertEquals(RuleSettings.DEFAULTS.withPromptToInactive(false), read().settings());
    }

    @Test
    void aMissingOrUnknownForgeryModeIsAnError() {
        assertEquals("carbons.settings.error.forged", read().errors().get(CarbonsSettings.FORGED_CARBONS));
        submitted.put(CarbonsSettings.FORGED_CARBONS, "explode");
        assertFalse(read().valid());
    }

    @Test
    void aGroupNameLongerThanOpenfireStoresIsUnknown() {
        submitted.put(CarbonsSettings.FORGED_CARBONS, "pass");
        submitted.put(CarbonsSettings.ALLOWED_GROUPS, "x".repeat(51));
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
        for (String field : List.of(CarbonsSettings.ENABLED, CarbonsSettings.RULES0, CarbonsSettings.PROMPT_TO_INACTIVE, CarbonsSettings.COPY_IM_PAYLOADS,
            CarbonsSettings.HONOUR_NO_COPY, CarbonsSettings.ERROR_REPLIES, CarbonsSettings.MUC_SAME_NICK_ONLY)) {
            submitted.put(field, "true");
        }
    }

    private SettingsForm.Outcome read() {
        return SettingsForm.read(submitted::get, group -> false);
    }
}
