package org.igniterealtime.openfire.plugins.carbons.settings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The settings as Openfire 5 system properties. Openfire 4.2.0 (the test server) has no SystemProperty, so the adapter
 * is driven against {@link SystemPropertyModel}, a model of 5.1.1's class, and the members it calls by name are
 * checked against the 5.0.5 and 5.1.1 API listings apicheck uses.
 */
class SystemPropertiesTest {

    private final SystemProperties adapter = SystemProperties.find(getClass().getClassLoader(), SystemPropertyModel.class.getName()).orElseThrow();

    @AfterEach
    void clearModel() {
        SystemPropertyModel.PROPERTIES.clear();
        SystemPropertyModel.STORE.clear();
    }

    @Test
    void everySettingIsRegisteredWithItsDefaultAsADynamicPropertyOfThePlugin() {
        final List<String> registered = adapter.register(CarbonsSettings.ALL, value -> { });

        assertEquals(CarbonsSettings.ALL.stream().map(SystemProperties.Setting::key).toList(), registered);
        assertEquals(9, SystemPropertyModel.getProperties().size());
        assertEquals(true, SystemPropertyModel.PROPERTIES.get("plugin.carbons.promptToInactive").defaultValue,
            "carbons reach inactive devices as promptly as their messages unless turned off");
        final SystemPropertyModel rules0 = SystemPropertyModel.PROPERTIES.get("plugin.carbons.rules0");
        assertEquals(Boolean.class, rules0.type);
        assertEquals(true, rules0.defaultValue, "the default shows instead of \"unknown\"");
        assertEquals(true, rules0.getValue(), "unchanged settings are listed too, with their value");
        assertEquals("Message Carbons", rules0.plugin);
        assertTrue(rules0.dynamic, "applies without restart");
        final SystemPropertyModel forged = SystemPropertyModel.PROPERTIES.get("plugin.carbons.forgedCarbons");
        assertEquals(String.class, forged.type);
        assertEquals("drop", forged.defaultValue);
        assertEquals("", SystemPropertyModel.PROPERTIES.get("plugin.carbons.allowedGroups").defaultValue);
    }

    @Test
    void aChangeMadeOnTheSystemPropertiesPageReachesThePlugin() {
        final List<Object> seen = new ArrayList<>();
        adapter.register(CarbonsSettings.ALL, seen::add);

        SystemPropertyModel.set("plugin.carbons.rules0", "false");
        SystemPropertyModel.set("plugin.carbons.forgedCarbons", "strip");
        SystemPropertyModel.set("plugin.carbons.rules0", null); // deleted: back to the default
        SystemPropertyModel.set("plugin.other", "x");

        assertEquals(List.of(false, "strip", true), seen);
    }

    @Test
    void unloadRemovesTheRegistrationAndAReloadRegistersAgain() {
        final List<Object> old = new ArrayList<>();
        adapter.register(CarbonsSettings.ALL, old::add);
        adapter.unregister();
        assertTrue(SystemPropertyModel.getProperties().isEmpty());

        final List<Object> fresh = new ArrayList<>();
        adapter.register(CarbonsSettings.ALL, old::add);
        adapter.register(CarbonsSettings.ALL, fresh::add); // a reload on an Openfire that did not remove them: no "already exists"
        SystemPropertyModel.set("plugin.carbons.enabled", "false");
        assertEquals(List.of(false), fresh);
        assertTrue(old.isEmpty(), "no listener of an unloaded plugin stays behind");
    }

    @Test
    void withoutSystemPropertyTheAdapterIsAbsent() {
        assertTrue(SystemProperties.find().isEmpty(), "Openfire 4.2.0 (the test server) has none: the property listener serves");
        assertTrue(SystemProperties.find(getClass().getClassLoader(), "org.example.NoSuchClass").isEmpty());
    }

    @Test
    void descriptionsComeFromTheBundleOpenfireLooksIn() throws IOException {
        adapter.register(CarbonsSettings.ALL, value -> { });
        final String bundle = SystemPropertyModel.PROPERTIES.get("plugin.carbons.enabled").descriptionBundle;
        assertEquals("messagecarbons_i18n", bundle);
        final String assembly = Files.readString(Path.of("src/assembly/openfire-plugin.xml"));
        final Properties english = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("i18n/carbons_i18n.properties"), StandardCharsets.ISO_8859_1)) {
            english.load(reader);
        }
        for (String locale : List.of("", "_de", "_fr", "_es")) {
            assertTrue(assembly.contains("<destName>" + bundle + locale + ".properties</destName>"), "the jar carries " + bundle + locale);
        }
        for (SystemPropertyModel property : SystemPropertyModel.getProperties()) {
            assertTrue(english.containsKey(property.descriptionKey), property.descriptionKey);
        }
        final String pluginXml = Files.readString(Path.of("pom.xml"));
        assertTrue(pluginXml.contains("<name>" + SystemProperties.PLUGIN_NAME + "</name>"),
            "plugin.xml's name (the pom's) is the plugin name Openfire removes the properties by");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openfire-5.0.5.api.gz", "openfire-5.1.1.api.gz"})
    void everyMemberCalledByNameExistsInOpenfire5(String listing) throws IOException {
        final Path api = Path.of("..", "shared", "openfire-api", listing);
        assumeTrue(Files.exists(api), "the API listings beside the repository (../shared), as apicheck needs them");
        final Set<String> members = new HashSet<>();
        String owner = null;
        try (var lines = new java.io.BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(api)), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("C ") || line.startsWith("I ")) {
                    owner = line.split(" ")[1];
                } else if (line.startsWith(" M ") && owner != null && owner.startsWith("org/jivesoftware/util/SystemProperty")) {
                    final String[] parts = line.trim().split(" ");
                    members.add(owner.substring("org/jivesoftware/util/SystemProperty".length()) + " " + parts[1] + " " + parts[2]);
                }
            }
        }
        assertFalse(members.isEmpty(), "SystemProperty is in " + listing);
        for (String member : SystemProperties.MEMBERS) {
            assertTrue(members.contains(member), member + " in " + listing);
        }
    }
}
