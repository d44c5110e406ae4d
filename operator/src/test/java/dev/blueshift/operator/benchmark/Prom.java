package dev.blueshift.operator.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus text exposition, parsed: the API server's /metrics and the operator's /q/metrics. */
final class Prom {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*\\})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    final List<Sample> samples;

    private Prom(List<Sample> samples) {
        this.samples = samples;
    }

    static Prom parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // OpenMetrics exemplars (Quarkus with OpenTelemetry): "value # {span_id=...} 1.0 ts"
            int exemplar = line.indexOf(" # {");
            Matcher m = SAMPLE.matcher((exemplar < 0 ? line : line.substring(0, exemplar)).trim());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            double value;
            try {
                value = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            samples.add(new Sample(m.group(1), labels, value));
        }
        return new Prom(samples);
    }

    double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .mapToDouble(Sample::value)
                .sum();
    }

    double sum(String name) {
        return sum(name, l -> true);
    }

    /** Sums of {@code name} grouped by a key made of its labels. */
    Map<String, Double> by(String name, Function<Map<String, String>, String> key) {
        Map<String, Double> out = new TreeMap<>();
        samples.stream()
                .filter(s -> s.name().equals(name))
                .forEach(s -> out.merge(key.apply(s.labels()), s.value(), Double::sum));
        return out;
    }

    /** after - before per key, only the keys that changed. */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }
}
