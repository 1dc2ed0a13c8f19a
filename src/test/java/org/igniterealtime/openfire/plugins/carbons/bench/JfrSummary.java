package org.igniterealtime.openfire.plugins.carbons.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Top frames of the load benchmark's JFR recordings (-Dbench.jfr), per configuration, counted per 1,000 messages
 * sent: self (the sampled frame) and inclusive (anywhere on the stack, once per sample), over all threads of the
 * recorded JVM, plus the same inclusive count kept to the plugin's own methods, and monitor waits.
 * <p>
 * {@code java -cp target/test-classes org.igniterealtime.openfire.plugins.carbons.bench.JfrSummary <dir> [top]}
 * writes summary.md in the directory. A configuration's recordings are its passes, {@code <configuration>-<n>.jfr};
 * passes.tsv (written by the benchmark) tells how many messages each pass sent.
 */
public final class JfrSummary {

    private static final Logger Log = LoggerFactory.getLogger(JfrSummary.class);
    static final String PASSES = "passes.tsv";
    private static final String PLUGIN_PACKAGE = "org.igniterealtime.openfire.plugins.carbons.";

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        final Path directory = Path.of(args[0]);
        final int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        final String summary = summarise(directory, top);
        Files.writeString(directory.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        Log.info("Top frames, also in {}\n{}", directory.resolve("summary.md"), summary);
    }

    /** Samples and monitor waits of one configuration's passes. */
    private static final class Tally {
        long messages;
        long samples;
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        long monitorWaits;
        Duration monitorTime = Duration.ZERO;
        final Map<String, Duration> monitorsByClassAndFrame = new HashMap<>();
        long compilations;
        Duration compileTime = Duration.ZERO;
        final Map<String, Duration> compileTimeByMethod = new HashMap<>();
        final Map<String, Long> compilationsByMethod = new HashMap<>();
        final Map<String, Long> deoptimisations = new HashMap<>();
    }

    static String summarise(Path directory, int top) throws IOException {
        final Map<String, Long> messagesByPass = new HashMap<>();
        for (String line : Files.readAllLines(directory.resolve(PASSES), StandardCharsets.UTF_8)) {
            final String[] fields = line.split("\t");
            if (fields.length == 2) {
                messagesByPass.put(fields[0], Long.parseLong(fields[1]));
            }
        }
        final Map<String, Tally> tallies = new TreeMap<>();
        final List<Path> recordings;
        try (Stream<Path> files = Files.list(directory)) {
            recordings = files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList();
        }
        for (Path recording : recordings) {
            final String pass = recording.getFileName().toString().replace(".jfr", "");
            final Long messages = messagesByPass.get(pass);
            if (messages == null) {
                continue; // a recording the benchmark did not finish
            }
            final Tally tally = tallies.computeIfAbsent(pass.replaceAll("-\\d+$", ""), k -> new Tally());
            tally.messages += messages;
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                final String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    count(tally, event.getStackTrace());
                } else if (type.equals("jdk.Compilation")) {
                    tally.compilations++;
                    tally.compileTime = tally.compileTime.plus(event.getDuration());
                    final String method = methodName(event.getValue("method"));
                    tally.compileTimeByMethod.merge(method, event.getDuration(), Duration::plus);
                    tally.compilationsByMethod.merge(method, 1L, Long::sum);
                } else if (type.equals("jdk.Deoptimization")) {
                    tally.deoptimisations.merge(methodName(event.getValue("method")) + " (" + event.getValue("reason") + ", "
                        + event.getValue("action") + ")", 1L, Long::sum);
                } else if (type.equals("jdk.JavaMonitorEnter")) {
                    tally.monitorWaits++;
                    tally.monitorTime = tally.monitorTime.plus(event.getDuration());
                    final String monitor = event.getClass("monitorClass") == null ? "?" : event.getClass("monitorClass").getName();
                    final RecordedStackTrace stack = event.getStackTrace();
                    final String at = stack == null ? "?" : callers(stack.getFrames(), 5);
                    tally.monitorsByClassAndFrame.merge(monitor + " at " + at, event.getDuration(), Duration::plus);
                }
            }
        }
        final StringBuilder md = new StringBuilder();
        for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
            final Tally tally = entry.getValue();
            final double perThousand = 1000.0 / tally.messages;
            md.append("## ").append(entry.getKey()).append("\n\n").append(tally.samples).append(" execution samples over ")
                .append(tally.messages).append(" messages: ").append(format(tally.samples * perThousand))
                .append(" samples per 1,000 messages; monitor waits over 1 ms: ").append(tally.monitorWaits).append(" (")
                .append(tally.monitorTime.toMillis()).append(" ms)\n\n");
            table(md, "self", tally.self, tally, top);
            table(md, "inclusive", tally.inclusive, tally, top);
            final Map<String, Long> plugin = new HashMap<>();
            tally.inclusive.forEach((method, n) -> {
                if (method.startsWith(PLUGIN_PACKAGE)) {
                    plugin.put(method, n);
                }
            });
            if (!plugin.isEmpty()) {
                table(md, "inclusive, the plugin's methods", plugin, tally, top);
            }
            if (tally.compilations > 0) {
                md.append("JIT: ").append(tally.compilations).append(" compilations, ").append(tally.compileTime.toMillis())
                    .append(" ms (").append(format(tally.compileTime.toNanos() / 1e3 / tally.messages))
                    .append(" µs per message); deoptimisations: ")
                    .append(tally.deoptimisations.values().stream().mapToLong(Long::longValue).sum()).append("\n\n");
                md.append("| compiled, most time | ms | times |\n| --- | ---: | ---: |\n");
                tally.compileTimeByMethod.entrySet().stream()
                    .sorted(Map.Entry.<String, Duration>comparingByValue().reversed()).limit(10)
                    .forEach(e -> md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().toMillis())
                        .append(" | ").append(tally.compilationsByMethod.get(e.getKey())).append(" |\n"));
                md.append("\n| deoptimised (reason, action) | times |\n| --- | ---: |\n");
                tally.deoptimisations.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                    .forEach(e -> md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n"));
                md.append('\n');
            }
            if (!tally.monitorsByClassAndFrame.isEmpty()) {
                md.append("| monitor waited for, at (innermost first) | ms |\n| --- | ---: |\n");
                tally.monitorsByClassAndFrame.entrySet().stream()
                    .sorted(Map.Entry.<String, Duration>comparingByValue().reversed()).limit(10)
                    .forEach(e -> md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().toMillis()).append(" |\n"));
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static void count(Tally tally, RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        tally.samples++;
        final List<RecordedFrame> frames = stack.getFrames();
        tally.self.merge(method(frames.get(0)), 1L, Long::sum);
        final Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
            final String method = method(frame);
            if (seen.add(method)) {
                tally.inclusive.merge(method, 1L, Long::sum);
            }
        }
    }

    /** The top frames, innermost first: where a monitor was waited for and who asked. */
    private static String callers(List<RecordedFrame> frames, int depth) {
        final List<String> methods = new ArrayList<>();
        for (int i = 0; i < Math.min(depth, frames.size()); i++) {
            methods.add(method(frames.get(i)));
        }
        return String.join(" < ", methods);
    }

    private static String methodName(Object method) {
        return method instanceof jdk.jfr.consumer.RecordedMethod m ? m.getType().getName() + "." + m.getName() : "?";
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void table(StringBuilder md, String title, Map<String, Long> counts, Tally tally, int top) {
        md.append("| ").append(title).append(" | samples per 1,000 messages | share |\n| --- | ---: | ---: |\n");
        final List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        final Map<String, Long> shown = new LinkedHashMap<>();
        sorted.stream().limit(top).forEach(e -> shown.put(e.getKey(), e.getValue()));
        shown.forEach((method, n) -> md.append("| ").append(method).append(" | ")
            .append(format(n * 1000.0 / tally.messages)).append(" | ")
            .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * n / tally.samples)).append(" |\n"));
        md.append('\n');
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
