package dev.blueshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The settings' names and defaults, which the Helm chart's settings ConfigMap and the README name:
 * a renamed property or a changed default fails here, not in a cluster.
 */
class SettingsDefaultsTest {
    private static SmallRyeConfig settings(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withMapping(AwsConfig.class)
                .withMapping(AnalysisConfig.class)
                .withMapping(LeaderElectionConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withSources(new EnvConfigSource(environment, 300))
                .build();
    }

    private static SmallRyeConfig defaults() {
        return settings(Map.of("blueshift.aws.cluster-name", "prod-eu"), Map.of());
    }

    @Test
    void theAwsSettingsKeepTheirDefaults() {
        AwsConfig aws = defaults().getConfigMapping(AwsConfig.class);

        assertThat(aws.region()).isEqualTo("us-east-1");
        assertThat(aws.endpoint()).isEmpty();
        assertThat(aws.accountId()).isEmpty();
        assertThat(aws.oidcIssuer()).isEmpty();
        assertThat(aws.partition()).isEqualTo("aws");
        assertThat(aws.maxConcurrentSyncs()).isEqualTo(4);
        assertThat(aws.maxAttempts()).isEqualTo(5);
        assertThat(aws.retryBaseDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(aws.retryMaxBackoff()).isEqualTo(Duration.ofSeconds(20));
        assertThat(aws.apiCallTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(aws.apiCallAttemptTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(aws.alarmPollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(aws.syncWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(aws.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theAnalysisSettingsKeepTheirDefaults() {
        AnalysisConfig analysis = defaults().getConfigMapping(AnalysisConfig.class);

        assertThat(analysis.prometheusAddress()).isEmpty();
        assertThat(analysis.allowedPrometheusAddresses()).isEmpty();
        assertThat(analysis.allowedAlarmNames()).isEmpty();
        assertThat(analysis.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(analysis.maxResponseBytes()).isEqualTo(1 << 20);
    }

    @Test
    void theSettingsAreReadByTheirDocumentedNames() {
        AnalysisConfig analysis = settings(
                        Map.of(
                                "blueshift.aws.cluster-name", "prod-eu",
                                "blueshift.analysis.prometheus-address", "http://prometheus:9090",
                                "blueshift.analysis.allowed-prometheus-addresses", "http://a:9090,http://b:9090/x",
                                "blueshift.analysis.allowed-alarm-names", "shared/*"),
                        Map.of())
                .getConfigMapping(AnalysisConfig.class);

        assertThat(analysis.prometheusAddress()).contains("http://prometheus:9090");
        assertThat(analysis.allowedPrometheusAddresses()).contains(List.of("http://a:9090", "http://b:9090/x"));
        assertThat(analysis.allowedAlarmNames()).contains(List.of("shared/*"));
    }

    @Test
    void theLeaseIsNamedByDefaultAndItsNamespaceComesFromTheChartsEnvironment() {
        assertThat(defaults().getConfigMapping(LeaderElectionConfig.class).leaseName())
                .isEqualTo("blueshift-operator");
        assertThat(defaults().getConfigMapping(LeaderElectionConfig.class).leaseNamespace())
                .isEmpty();

        LeaderElectionConfig fromChart = settings(
                        Map.of("blueshift.aws.cluster-name", "prod-eu"),
                        Map.of("BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE", "blueshift-system"))
                .getConfigMapping(LeaderElectionConfig.class);
        assertThat(fromChart.leaseNamespace()).isEqualTo(Optional.of("blueshift-system"));
    }
}
