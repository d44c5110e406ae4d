package dev.blueshift.operator.analysis;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The CloudWatch alarms, not made for the MSD, that the cluster admin lets a metric's
 * {@code cloudWatchAlarm.alarmName} name: glob patterns where {@code *} matches any characters
 * ('/' included) and everything else matches itself. No pattern: no such alarm is allowed.
 */
public final class AllowedAlarmNames {
    public static final String SETTING = "blueshift.analysis.allowed-alarm-names";

    private final List<Pattern> patterns;

    public AllowedAlarmNames(List<String> globs) {
        this.patterns = globs.stream()
                .map(String::trim)
                .filter(g -> !g.isEmpty())
                .map(AllowedAlarmNames::regex)
                .toList();
    }

    public static AllowedAlarmNames none() {
        return new AllowedAlarmNames(List.of());
    }

    /** Whether the alarm of this CloudWatch name (placeholders filled) may be read. */
    public boolean allows(String alarmName) {
        return patterns.stream().anyMatch(p -> p.matcher(alarmName).matches());
    }

    private static Pattern regex(String glob) {
        return Pattern.compile(
                List.of(glob.split("\\*", -1)).stream().map(Pattern::quote).collect(Collectors.joining(".*")),
                Pattern.DOTALL);
    }
}
