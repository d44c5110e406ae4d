package dev.blueshift.operator.analysis;

import java.time.Duration;

/** Parses the spec's durations: a whole number and one unit (500ms, 30s, 5m, 1h), as the CRD's pattern admits. */
public final class StageDurations {
  private StageDurations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      return Duration.ZERO;
    }
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long amount = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("not a duration: " + text);
    };
  }
}
