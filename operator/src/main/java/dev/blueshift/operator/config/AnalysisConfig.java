package dev.blueshift.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's analysis settings, {@code blueshift.analysis.*} (environment:
 * BLUESHIFT_ANALYSIS_*). They are the cluster admin's: an MSD author (a possibly hostile tenant)
 * chooses only among what these allow.
 */
@ConfigMapping(prefix = "blueshift.analysis")
public interface AnalysisConfig {
    /** The Prometheus of metrics that name none (base URL). Always allowed. */
    Optional<String> prometheusAddress();

    /**
     * Base URLs (comma-separated) a metric's {@code prometheus.address} may name besides the default
     * address: same scheme, host and port, and a path under the entry's path. Empty: only the default.
     */
    Optional<List<String>> allowedPrometheusAddresses();

    /**
     * Glob patterns ({@code *} matches anything, '/' included) of the CloudWatch alarms a metric's
     * {@code cloudWatchAlarm.alarmName} may name, matched on the name with its placeholders filled.
     * Empty: none. The MSD's own alarms ({@code cloudWatchAlarm.alarm}) are always allowed.
     */
    Optional<List<String>> allowedAlarmNames();

    /** Longest time one Prometheus query may take, its whole answer included; later is a provider error. */
    @WithDefault("5s")
    Duration queryTimeout();

    /** Largest Prometheus answer read, in bytes; a larger one is a provider error and is not read on. */
    @WithDefault("1048576")
    int maxResponseBytes();
}
