package dev.blueshift.operator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The cluster admin's analysis settings for the operator under test. Like every Quarkus test
 * resource it applies to all tests (one Quarkus app for the whole run): it allows the test
 * Prometheus ({@link PrometheusServer}), the real node's ({@link RealNode#prometheusAddress()}), an
 * address where nothing listens (for the unreachable
 * case), and foreign alarms under {@link #ALLOWED_ALARM_NAMES}. Anything else a test's MSD names
 * is refused, as a tenant's would be.
 */
public class AnalysisSettingsResource implements QuarkusTestResourceLifecycleManager {
    /** Allowed, and nothing listens there (port 1, tcpmux, is closed on any machine that runs the tests). */
    public static final String UNREACHABLE_PROMETHEUS = "http://127.0.0.1:1";
    /** Foreign alarms (cloudWatchAlarm.alarmName) the tests may name. */
    public static final String ALLOWED_ALARM_NAMES = "blueshift-test-allowed/*";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "blueshift.analysis.allowed-prometheus-addresses",
                String.join(
                        ",",
                        PrometheusServer.configuredAddress(),
                        RealNode.prometheusAddress(),
                        UNREACHABLE_PROMETHEUS),
                "blueshift.analysis.allowed-alarm-names",
                ALLOWED_ALARM_NAMES);
    }

    @Override
    public void stop() {}
}
