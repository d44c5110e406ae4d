package dev.blueshift.operator.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One report out of several runs' reports of the same shape: each number is the median of that
 * number over the runs (the mean of the middle two for an even count), maps are merged key by key,
 * and anything else (text, lists) is the last run's.
 */
final class Medians {
    private Medians() {}

    static Map<String, Object> of(List<Map<String, Object>> runs) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map<String, Object> run : runs) {
            run.keySet().forEach(k -> merged.putIfAbsent(k, null));
        }
        for (String key : merged.keySet()) {
            List<Object> values = new ArrayList<>();
            runs.stream().filter(r -> r.get(key) != null).forEach(r -> values.add(r.get(key)));
            merged.put(key, combine(values));
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object combine(List<Object> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            double[] sorted = values.stream()
                    .mapToDouble(v -> ((Number) v).doubleValue())
                    .sorted()
                    .toArray();
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        if (values.stream().allMatch(v -> v instanceof Map)) {
            return of(values.stream().map(v -> (Map<String, Object>) v).toList());
        }
        return values.get(values.size() - 1);
    }
}
