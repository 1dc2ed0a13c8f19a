package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.engine.Eligibility;
import org.igniterealtime.openfire.plugins.carbons.engine.Incident;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four bundles are complete: every text the pages and plugin.xml ask for exists in English, and German, French
 * and Spanish have exactly the English keys, each with the same placeholders.
 */
class TranslationsTest {

    private static final Path I18N = Path.of("i18n");
    /** fmt:message keys, literal or built from a prefix (carbons.reason.${...}). */
    private static final Pattern PAGE_KEY = Pattern.compile("key=\"([A-Za-z0-9._-]+)(\\$\\{)?");
    private static final Pattern PLUGIN_XML_KEY = Pattern.compile("\\$\\{((?:admin|plugin)\\.[a-z0-9.-]+)}");

    @Test
    void everyTextThePagesAndPluginXmlUseExistsInEnglish() throws IOException {
        final Properties english = load("carbons_i18n.properties");
        final Set<String> missing = new TreeSet<>();
        try (Stream<Path> pages = Files.list(Path.of("web"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".jsp")).toList()) {
                final Matcher keys = PAGE_KEY.matcher(Files.readString(page));
                while (keys.find()) {
                    if (keys.group(2) == null) {
                        if (!english.containsKey(keys.group(1))) {
                            missing.add(page.getFileName() + ": " + keys.group(1));
                        }
                    } else if (english.keySet().stream().noneMatch(k -> k.toString().startsWith(keys.group(1)))) {
                        missing.add(page.getFileName() + ": " + keys.group(1) + "*");
                    }
                }
            }
        }
        final Matcher keys = PLUGIN_XML_KEY.matcher(Files.readString(Path.of("plugin.xml")));
        while (keys.find()) {
            if (!english.containsKey(keys.group(1))) {
                missing.add("plugin.xml: " + keys.group(1));
            }
        }
        assertTrue(missing.isEmpty(), "missing texts: " + missing);
    }

    @Test
    void everyReasonIncidentSettingAndErrorHasAText() throws IOException {
        final Properties english = load("carbons_i18n.properties");
        for (String error : new String[]{"carbons.settings.error.csrf", "carbons.settings.error.forged", "carbons.settings.error.groups"}) {
            assertTrue(english.containsKey(error), error);
        }
        for (Eligibility reason : Eligibility.values()) {
            assertTrue(english.containsKey("carbons.reason." + reason.name().toLowerCase().replace('_', '-')), reason.name());
        }
        for (Incident incident : Incident.values()) {
            assertTrue(english.containsKey("carbons.incident." + incident.name().toLowerCase().replace('_', '-')), incident.name());
        }
        for (SettingsForm.Toggle toggle : SettingsForm.toggles(org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings.DEFAULTS)) {
            assertTrue(english.containsKey("carbons.settings." + toggle.field()), toggle.field());
            // The description is also the one Openfire 5's System Properties page shows (SystemProperty.getDescription()).
            assertTrue(english.containsKey("system_property.plugin.carbons." + toggle.field()), toggle.field());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"de", "fr", "es"})
    void translationHasEveryKeyWithTheSamePlaceholders(String locale) throws IOException {
        final Properties english = load("carbons_i18n.properties");
        final Properties translated = load("carbons_i18n_" + locale + ".properties");
        assertEquals(new TreeSet<>(english.stringPropertyNames()), new TreeSet<>(translated.stringPropertyNames()));
        for (String key : english.stringPropertyNames()) {
            assertEquals(placeholders(english.getProperty(key)), placeholders(translated.getProperty(key)), locale + " " + key);
            assertFalse(translated.getProperty(key).isBlank(), locale + " " + key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"carbons_i18n.properties", "carbons_i18n_de.properties", "carbons_i18n_fr.properties", "carbons_i18n_es.properties"})
    void textsWithPlaceholdersHaveNoStraightApostrophe(String bundle) throws IOException {
        // MessageFormat swallows a single ' in a text with {0}: "l'utilisateur" would lose its apostrophe.
        load(bundle).forEach((key, text) -> {
            if (text.toString().contains("{0}")) {
                assertFalse(text.toString().contains("'"), bundle + " " + key);
            }
        });
    }

    private static Set<String> placeholders(String text) {
        final Set<String> found = new TreeSet<>();
        final Matcher matcher = Pattern.compile("\\{\\d}").matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    private static Properties load(String name) throws IOException {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(I18N.resolve(name), StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        return properties;
    }
}
