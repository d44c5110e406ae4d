package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.aws.AwsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Every metric provider, each measuring the metrics whose provider field it owns. The CloudWatch
 * client is built on first use (by the AWS adapter), so an operator without AWS settings starts and
 * serves Prometheus metrics alone.
 */
@ApplicationScoped
@Startup // made at startup, so that a bad allow-list entry stops the operator there, not in a reconcile
public class MetricProviders {
    private final List<MetricProvider> providers;

    /**
     * Settings: {@link AnalysisConfig} (the default Prometheus, what MSDs may name, timeouts and
     * caps); the alarms' states come from the AWS adapter (one CloudWatch client, DescribeAlarms in
     * batches of 100), and their names from blueshift.aws.cluster-name as aws/cloudwatch makes them.
     * An allow-list entry that is not a plain base URL stops the operator at startup.
     */
    @Inject
    public MetricProviders(AlarmStates alarmStates, AwsConfig aws, AnalysisConfig analysis) {
        this(List.of(
                new PrometheusProvider(
                        PrometheusAddresses.of(analysis),
                        analysis.queryTimeout(),
                        analysis.maxResponseBytes(),
                        // One provider, which caches credentials (and refreshes them) across queries.
                        DefaultCredentialsProvider.builder().build()::resolveCredentials),
                new CloudWatchAlarmProvider(
                        alarmStates,
                        aws.clusterName(),
                        new AllowedAlarmNames(analysis.allowedAlarmNames().orElse(List.of())))));
    }

    public MetricProviders(List<MetricProvider> providers) {
        this.providers = providers;
    }

    public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
        return providers.stream()
                .filter(p -> p.handles(metric))
                .findFirst()
                .map(p -> p.measure(metric, target))
                .orElseGet(() -> Measurement.error(null, "no provider for metric " + metric.getName()));
    }
}
