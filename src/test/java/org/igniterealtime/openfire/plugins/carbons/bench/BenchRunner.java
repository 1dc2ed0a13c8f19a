package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.engine.CounterFootprint;
import org.igniterealtime.openfire.plugins.carbons.ClusterScaleBenchmark;
import org.igniterealtime.openfire.plugins.carbons.cluster.StateFootprint;
import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark of the plugin and writes target/bench/results.json, target/bench/report.html (charts)
 * and target/bench/table.md (the table kept in docs/benchmarks.md). Numbers are reported, never asserted.
 */
public final class BenchRunner {

    private static final Logger Log = LoggerFactory.getLogger(BenchRunner.class);
    /** Sessions each other node has published when a node builds its copy of them (ClusterScaleBenchmark). */
    private static final int CLUSTER_USERS_PER_NODE = 2_000;
    private static final String PLUGIN_CLASS = "org/igniterealtime/openfire/plugins/carbons/CarbonsPlugin.class";

    private BenchRunner() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0); // Openfire's threads would keep the JVM alive.
        } catch (Exception e) {
            Log.error("Benchmarks failed", e);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        // The tests log the plugin at DEBUG (one line per judged message); production runs at INFO, and so must this.
        org.apache.log4j.Logger.getLogger("org.igniterealtime.openfire.plugins.carbons").setLevel(org.apache.log4j.Level.INFO);
        final Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        final Path jar = Path.of(args.length > 1 ? args[1] : "target/carbons.jar");
        Files.createDirectories(out);

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", machine());
        // -Dbench.server=host:port drives a running Openfire instead of the in-process one (ExternalOpenfire says what
        // else it needs); the JMH part and the footprints are about this JVM, so that mode leaves them out.
        final boolean external = !System.getProperty("bench.server", "").isBlank();
        // -Dbench.micro=false skips the JMH part (the end-to-end run alone, for profiling).
        final boolean micro = !external && Boolean.parseBoolean(System.getProperty("bench.micro", "true"));
        report.put("micro", micro ? micro() : List.of());
        final LoadTarget server;
        if (external) {
            server = ExternalOpenfire.fromSystemProperties();
            report.put("server", System.getProperty("bench.server") + " (external), " + server.users() + " users");
        } else {
            // Openfire first: its configuration must be in place before anything touches JiveGlobals.
            server = new InProcessTarget(EmbeddedOpenfire.start(out.resolve("openfire"), 0));
        }
        if (micro) {
            report.put("cluster", ClusterScaleBenchmark.run(CLUSTER_USERS_PER_NODE));
            report.put("bytesPerEnabledSession", StateFootprint.bytesPerSession(10_000, false));
            report.put("bytesPerEnabledSessionClustered", StateFootprint.bytesPerSession(10_000, true));
            report.put("bytesPerResourceWithCopiesCounted", CounterFootprint.bytesPerCountedResource(10_000));
        }
        final Path baseline = path("bench.baseline");
        if (!external && baseline != null && BenchRunner.class.getClassLoader().getResource(PLUGIN_CLASS) != null) {
            // Openfire 4.2's plugin class loader asks its parent first: both jars would run these classes.
            throw new IllegalStateException("bench.baseline needs the plugin's classes off the class path: run BenchRunner"
                + " with -Dbench.micro=false and target/test-classes plus the test dependencies only");
        }
        // -Dbench.baseline=jar measures another build beside this one, pass for pass; -Dbench.jfr=dir records each
        // saturation pass with JFR (both empty by default).
        final Path jfr = path("bench.jfr");
        final String sessions = System.getProperty("bench.sessions", "");
        if (external && !sessions.isBlank()) {
            if (server instanceof ExternalCluster) {
                throw new IllegalArgumentException("bench.sessions: the curves are measured on a single server");
            }
            // -Dbench.sessions=1000,5000,19000: issue 18's curves instead of the configurations' comparison, with
            // -Dbench.resources=1,2,5,10 resources per user and -Dbench.curveMessages per pass (ExternalOpenfire and
            // IdleSessions say what the server needs).
            final List<Integer> resources = integers(System.getProperty("bench.resources", "1,2,5,10"));
            final List<Map<String, Object>> curve = new LoadBenchmark(server, jar, null, null,
                resources.stream().max(Integer::compare).orElseThrow())
                .curve(System.getProperty("bench.server"), integers(sessions), resources, Integer.getInteger("bench.curveMessages", 6000));
            report.put("sessionsCurve", curve);
            Files.writeString(out.resolve("results.json"), Json.write(report), StandardCharsets.UTF_8);
            final String table = LoadBenchmark.curveTable(curve);
            Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
            Log.info("Benchmarks done; results in {}\n{}", out.toAbsolutePath(), table);
            return;
        }
        report.put("load", new LoadBenchmark(server, jar, baseline, jfr).run());
        if (jfr != null) {
            Files.writeString(jfr.resolve("summary.md"), JfrSummary.summarise(jfr, 25), StandardCharsets.UTF_8);
        }

        Files.writeString(out.resolve("results.json"), Json.write(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("report.html"), Charts.html(report), StandardCharsets.UTF_8);
        String table = Charts.markdown(report);
        if (report.get("cluster") instanceof List<?> cluster) {
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> rows = (List<Map<String, Object>>) cluster;
            table += "\n" + ClusterScaleBenchmark.table(rows, CLUSTER_USERS_PER_NODE);
        }
        Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
        Log.info("Benchmarks done; results in {}\n{}", out.toAbsolutePath(), table);
    }

    private static List<Integer> integers(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private static Path path(String property) {
        final String value = System.getProperty(property, "");
        return value.isBlank() ? null : Path.of(value);
    }

    private static Map<String, Object> machine() {
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return machine;
    }

    private static List<Map<String, Object>> micro() throws Exception {
        final Options options = new OptionsBuilder()
            .include("org\\.igniterealtime\\.openfire\\.plugins\\.carbons\\..*Benchmark.*")
            .addProfiler(GCProfiler.class)
            .build();
        final Collection<RunResult> runs = new Runner(options).run();
        final List<Map<String, Object>> results = new ArrayList<>();
        for (RunResult run : runs) {
            final Map<String, Object> row = new LinkedHashMap<>();
            final String benchmark = run.getParams().getBenchmark();
            final StringBuilder name = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            for (String key : run.getParams().getParamsKeys()) {
                name.append(' ').append(key).append('=').append(run.getParams().getParam(key));
            }
            row.put("name", name.toString());
            row.put("nsPerOp", run.getPrimaryResult().getScore());
            row.put("error", run.getPrimaryResult().getScoreError());
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc == null) {
                alloc = run.getSecondaryResults().get("·gc.alloc.rate.norm"); // JMH before 1.36
            }
            row.put("bytesPerOp", alloc == null ? -1 : alloc.getScore());
            results.add(row);
        }
        return results;
    }

    /** Just enough JSON for maps, lists, strings, numbers and booleans. */
    static final class Json {
        static String write(Object value) {
            final StringBuilder json = new StringBuilder();
            write(value, json, "");
            return json.append('\n').toString();
        }

        private static void write(Object value, StringBuilder json, String indent) {
            if (value instanceof Map<?, ?> map) {
                json.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.append(indent).append("  \"").append(entry.getKey()).append("\": ");
                    write(entry.getValue(), json, indent + "  ");
                    json.append(++i < map.size() ? ",\n" : "\n");
                }
                json.append(indent).append('}');
            } else if (value instanceof List<?> list) {
                json.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    json.append(indent).append("  ");
                    write(list.get(i), json, indent + "  ");
                    json.append(i + 1 < list.size() ? ",\n" : "\n");
                }
                json.append(indent).append(']');
            } else if (value instanceof String string) {
                json.append('"').append(string.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else if (value instanceof Double number) {
                json.append(String.format(Locale.ROOT, "%.3f", number));
            } else {
                json.append(value);
            }
        }
    }
}
