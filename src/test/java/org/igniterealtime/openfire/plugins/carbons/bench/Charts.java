package org.igniterealtime.openfire.plugins.carbons.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark report for people: an HTML page with bar charts (inline SVG, no scripts) and a Markdown table.
 */
final class Charts {

    private Charts() {
    }

    @SuppressWarnings("unchecked")
    static String html(Map<String, Object> report) {
        final StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='UTF-8'>"
            + "<title>Message Carbons benchmarks</title><style>body{font-family:sans-serif;margin:2em}"
            + "text{font-size:12px}</style></head><body><h1>Message Carbons benchmarks</h1>");
        html.append("<p>").append(escape(String.valueOf(report.get("machine")))).append("</p>");
        final List<Map<String, Object>> micro = (List<Map<String, Object>>) report.get("micro");
        html.append("<h2>Micro-benchmarks (ns per operation)</h2>");
        html.append(bars(micro.stream().map(m -> (String) m.get("name")).toList(),
            micro.stream().map(m -> (Double) m.get("nsPerOp")).toList(), "ns"));
        html.append("<h2>Allocation (bytes per operation)</h2>");
        html.append(bars(micro.stream().map(m -> (String) m.get("name")).toList(),
            micro.stream().map(m -> ((Number) m.get("bytesPerOp")).doubleValue()).toList(), "B"));
        if (report.containsKey("bytesPerEnabledSession")) {
            html.append("<h2>Plugin state</h2><p>").append(stateSentence(report)).append("</p>");
        }
        final Map<String, Map<String, Object>> load = (Map<String, Map<String, Object>>) report.get("load");
        for (String mode : List.of("saturation", "fixedRate")) {
            html.append("<h2>End to end, ").append(mode).append(": messages per second</h2>");
            html.append(bars(List.copyOf(load.keySet()),
                load.values().stream().map(v -> (Double) ((Map<String, Object>) v.get(mode)).get("messagesPerSecond")).toList(), "msg/s"));
            html.append("<h2>End to end, ").append(mode).append(": server CPU per message (µs)</h2>");
            html.append(bars(List.copyOf(load.keySet()),
                load.values().stream().map(v -> (Double) ((Map<String, Object>) v.get(mode)).get("serverCpuUsPerMessage")).toList(), "µs"));
            html.append("<h2>End to end, ").append(mode).append(": p99 latency of carbons and originals (ms)</h2>");
            final List<String> names = load.keySet().stream().flatMap(k -> List.of(k + " original", k + " carbon").stream()).toList();
            final List<Double> values = load.values().stream().flatMap(v -> {
                final Map<String, Object> m = (Map<String, Object>) v.get(mode);
                return List.of((Double) m.get("originalP99Ms"), (Double) m.get("carbonP99Ms")).stream();
            }).toList();
            html.append(bars(names, values, "ms"));
        }
        return html.append("</body></html>\n").toString();
    }

    private static String bars(List<String> names, List<Double> values, String unit) {
        final double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        final int row = 22;
        final StringBuilder svg = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='900' height='")
            .append(names.size() * row + 10).append("'>");
        for (int i = 0; i < names.size(); i++) {
            final double width = max <= 0 ? 0 : 500 * values.get(i) / max;
            final int y = i * row + 5;
            svg.append("<text x='0' y='").append(y + 14).append("'>").append(escape(names.get(i))).append("</text>")
                .append("<rect x='300' y='").append(y).append("' width='").append(format(width)).append("' height='16' fill='#3a7bd5'/>")
                .append("<text x='").append(format(305 + width)).append("' y='").append(y + 14).append("'>")
                .append(format(values.get(i))).append(' ').append(unit).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        final StringBuilder md = new StringBuilder("Machine: ").append(report.get("machine")).append("\n\n");
        md.append("| micro-benchmark | ns/op | B/op |\n| --- | ---: | ---: |\n");
        for (Map<String, Object> m : (List<Map<String, Object>>) report.get("micro")) {
            md.append("| ").append(m.get("name")).append(" | ").append(format((Double) m.get("nsPerOp")))
                .append(" ± ").append(format((Double) m.get("error"))).append(" | ")
                .append(format(((Number) m.get("bytesPerOp")).doubleValue())).append(" |\n");
        }
        if (report.containsKey("bytesPerEnabledSession")) {
            md.append("\nPlugin state: ").append(stateSentence(report)).append("\n\n");
        }
        md.append("| end to end | mode | msg/s | deliveries/s | server CPU µs per message | original p50/p99 ms | carbon p50/p99 ms |\n")
            .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        final Map<String, Map<String, Object>> load = (Map<String, Map<String, Object>>) report.get("load");
        for (Map.Entry<String, Map<String, Object>> entry : load.entrySet()) {
            for (String mode : List.of("saturation", "fixedRate")) {
                final Map<String, Object> m = (Map<String, Object>) entry.getValue().get(mode);
                md.append("| ").append(entry.getKey()).append(" | ").append(mode).append(" | ")
                    .append(format((Double) m.get("messagesPerSecond"))).append(" | ")
                    .append(format((Double) m.get("deliveriesPerSecond"))).append(" | ")
                    .append(format((Double) m.get("serverCpuUsPerMessage"))).append(" | ")
                    .append(format((Double) m.get("originalP50Ms"))).append(" / ").append(format((Double) m.get("originalP99Ms"))).append(" | ")
                    .append(format((Double) m.get("carbonP50Ms"))).append(" / ").append(format((Double) m.get("carbonP99Ms"))).append(" |\n");
            }
        }
        md.append("\nSaturation passes (server CPU µs per message; carbon p99 ms):");
        for (Map.Entry<String, Map<String, Object>> entry : load.entrySet()) {
            final Map<String, Object> m = (Map<String, Object>) entry.getValue().get("saturation");
            md.append("\n- ").append(entry.getKey()).append(": ").append(formatAll((List<Object>) m.get("passesServerCpuUsPerMessage")))
                .append("; ").append(formatAll((List<Object>) m.get("passesCarbonP99Ms")));
        }
        final double plain = saturation(load, "no-carbons", "serverCpuUsPerMessage");
        final double builtIn = saturation(load, "built-in", "serverCpuUsPerMessage");
        final double plugin = saturation(load, "plugin", "serverCpuUsPerMessage");
        md.append("\n\nServer CPU per original (medians): plugin / built-in = ").append(format(plugin / builtIn))
            .append("; a carbon (plugin minus no-carbons, over 4) / a plain message (no-carbons) = ")
            .append(format((plugin - plain) / 4 / plain))
            .append("; plugin loaded, nobody enabled / no-carbons = ")
            .append(format(saturation(load, "plugin-idle", "serverCpuUsPerMessage") / plain))
            .append("; carbon p99 plugin / built-in = ")
            .append(format(saturation(load, "plugin", "carbonP99Ms") / saturation(load, "built-in", "carbonP99Ms"))).append('\n');
        if (((Map<String, Object>) load.get("plugin").get("saturation")).containsKey("serverCpuJitUsPerMessage")) {
            // external mode: the whole server JVM's CPU, of which the JIT and the GC, and the kernel's part (ExternalOpenfire)
            md.append("\nOf the server CPU µs per message (medians), JIT / GC / in the kernel:");
            for (Map.Entry<String, Map<String, Object>> entry : load.entrySet()) {
                md.append("\n- ").append(entry.getKey()).append(": ")
                    .append(format(saturation(load, entry.getKey(), "serverCpuJitUsPerMessage"))).append(" / ")
                    .append(format(saturation(load, entry.getKey(), "serverCpuGcUsPerMessage"))).append(" / ")
                    .append(format(saturation(load, entry.getKey(), "serverCpuKernelUsPerMessage")));
            }
            md.append('\n');
        }
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static double saturation(Map<String, Map<String, Object>> load, String configuration, String figure) {
        if (!load.containsKey(configuration)) {
            return Double.NaN; // not measured (-Dbench.carbonsOnly)
        }
        return (Double) ((Map<String, Object>) load.get(configuration).get("saturation")).get(figure);
    }

    private static String formatAll(List<Object> values) {
        return String.join(" / ", values.stream().map(v -> format((Double) v)).toList());
    }

    /** The memory figures, one sentence for the chart page and the table alike. */
    private static String stateSentence(Map<String, Object> report) {
        return format((Double) report.get("bytesPerEnabledSession"))
            + " bytes per enabled session on a single server (10,000 sessions, each of another user), "
            + format((Double) report.get("bytesPerEnabledSessionClustered"))
            + " bytes on a cluster node, its published entries in an Openfire cache included; "
            + format((Double) report.get("bytesPerResourceWithCopiesCounted"))
            + " bytes per resource that got a copy, for the status page's count of carbons delivered to it.";
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
