package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.aws.AwsClients;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.config.AnalysisConfig;
import dev.blueshift.operator.config.AwsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Every metric provider, each measuring the metrics whose provider field it owns. The CloudWatch
 * client is built on first use (by {@link AwsClients}), so an operator without AWS settings starts
 * and serves Prometheus metrics alone.
 */
@ApplicationScoped
@Startup // made at startup, so that a bad allow-list entry stops the operator there, not in a reconcile
public class MetricProviders {
    private final List<MetricProvider> providers;

    /**
     * Settings: {@link AnalysisConfig} (the default Prometheus, what MSDs may name, timeouts and
     * caps); the alarms' states come through the AWS adapter and the operator's one CloudWatch
     * client (DescribeAlarms in batches of 100), and their names from blueshift.aws.cluster-name as
     * aws/cloudwatch makes them; SigV4 queries are signed with the operator's one credentials
     * provider. An allow-list entry that is not a plain base URL stops the operator at startup.
     */
    @Inject
    public MetricProviders(AwsClients clients, AwsConfig aws, AnalysisConfig analysis) {
        this(List.of(
                new PrometheusProvider(
                        PrometheusAddresses.of(analysis),
                        analysis.queryTimeout(),
                        analysis.maxResponseBytes(),
                        clients.credentials()::resolveCredentials),
                new CloudWatchAlarmProvider(
                        names -> new SdkCloudWatchAlarms(clients.cloudWatch()).readings(names),
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
