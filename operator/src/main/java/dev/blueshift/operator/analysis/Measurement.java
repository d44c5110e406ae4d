package dev.blueshift.operator.analysis;

/**
 * One reading of one metric from its provider, already judged against the metric's threshold by
 * the provider (which alone knows what its values mean).
 *
 * @param value what was read, for status (a number, an alarm state), or null
 * @param threshold what a pass requires, for status (e.g. "< 0.05", "OK")
 * @param message why there was no data, or the provider's error
 */
public record Measurement(Outcome outcome, String value, String threshold, String message) {
    public enum Outcome {
        Passed,
        Failed,
        NoData,
        Error
    }

    public static Measurement passed(String value, String threshold) {
        return new Measurement(Outcome.Passed, value, threshold, null);
    }

    public static Measurement failed(String value, String threshold) {
        return new Measurement(Outcome.Failed, value, threshold, null);
    }

    public static Measurement noData(String threshold, String message) {
        return new Measurement(Outcome.NoData, null, threshold, message);
    }

    public static Measurement error(String threshold, String message) {
        return new Measurement(Outcome.Error, null, threshold, message);
    }
}
