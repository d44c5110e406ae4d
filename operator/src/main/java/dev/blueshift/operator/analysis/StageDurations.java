package dev.blueshift.operator.analysis;

import java.time.Duration;

/**
 * Parses the spec's durations: a whole number and one unit (500ms, 30s, 5m, 1h), as the CRD's
 * pattern admits. Total: it never throws, so no spec the API server accepted (including one
 * accepted before the pattern bounded the number) can fail a reconcile. A value beyond {@link #MAX}
 * counts as MAX; one that is not a duration at all (the schema admits none) counts as zero.
 */
public final class StageDurations {
    /** Far beyond any stage or interval anyone means, and far from overflowing an Instant. */
    public static final Duration MAX = Duration.ofDays(365L * 100);

    private StageDurations() {}

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        String t = text.trim();
        String unit = t.endsWith("ms") ? "ms" : t.substring(t.length() - 1);
        String digits = t.substring(0, t.length() - unit.length());
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Duration.ZERO;
        }
        long perUnitMillis = switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 0L;
        };
        if (perUnitMillis == 0) {
            return Duration.ZERO;
        }
        long maxAmount = MAX.toMillis() / perUnitMillis;
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 18 || Long.parseLong(significant) > maxAmount) {
            return MAX;
        }
        return Duration.ofMillis(Long.parseLong(significant) * perUnitMillis);
    }
}
