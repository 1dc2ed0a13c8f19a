package org.igniterealtime.openfire.plugins.carbons;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The package map of README.md ("How it is built") as a rule: every package may use the ones below it and none above,
 * so a maintainer can read each concern without the ones that build on it; the engine uses no Openfire class at all.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/org/igniterealtime/openfire/plugins/carbons");
    /** Bottom to top; "" is the plugin's own package (entry point and wiring). */
    private static final List<String> LAYERS = List.of("engine", "settings", "cluster", "openfire", "console", "");
    private static final Pattern PLUGIN_IMPORT = Pattern.compile("^import (?:static )?org\\.igniterealtime\\.openfire\\.plugins\\.carbons\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void importsRunDownwardsOnly() throws IOException {
        final List<String> upwards = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                final String layer = SOURCES.relativize(file.getParent() == null ? SOURCES : file.getParent()).toString();
                final int rank = LAYERS.indexOf(layer);
                if (rank < 0) {
                    upwards.add(file + " is in a package README.md does not map");
                    continue;
                }
                final String source = Files.readString(file);
                final Matcher imported = PLUGIN_IMPORT.matcher(source);
                while (imported.find()) {
                    final int used = LAYERS.indexOf(imported.group(1));
                    if (used < 0 || used > rank) {
                        upwards.add(SOURCES.relativize(file) + " uses " + imported.group(1));
                    }
                }
                if (layer.equals("engine") && source.contains("import org.jivesoftware.")) {
                    upwards.add(SOURCES.relativize(file) + " uses Openfire");
                }
            }
        }
        assertEquals(List.of(), upwards);
    }
}
