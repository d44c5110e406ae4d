package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import dev.blueshift.operator.aws.AwsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Every metric provider, each measuring the metrics whose provider field it owns. The CloudWatch
 * client is built on first use (by the AWS adapter), so an operator without AWS settings starts and
 * serves Prometheus metrics alone.
 */
@ApplicationScoped
public class MetricProviders {
  /** Longest time one Prometheus query may take; an answer later than this is a provider error. */
  static final Duration PROMETHEUS_TIMEOUT = Duration.ofSeconds(5);

  private final List<MetricProvider> providers;

  /**
   * Settings: blueshift.analysis.prometheus-address (the Prometheus of metrics that name none); the
   * alarms' states come from the AWS adapter (one CloudWatch client, DescribeAlarms in batches of
   * 100), and their names from blueshift.aws.cluster-name as aws/cloudwatch makes them.
   */
  @Inject
  public MetricProviders(AlarmStates alarmStates, AwsConfig aws) {
    this(List.of(
        new PrometheusProvider(PROMETHEUS_TIMEOUT, ConfigProvider.getConfig()
                .getOptionalValue("blueshift.analysis.prometheus-address", String.class).filter(v -> !v.isBlank()),
            // One provider, which caches credentials (and refreshes them) across queries.
            DefaultCredentialsProvider.builder().build()::resolveCredentials),
        new CloudWatchAlarmProvider(alarmStates, aws.clusterName())));
  }

  public MetricProviders(List<MetricProvider> providers) {
    this.providers = providers;
  }

  public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
    return providers.stream().filter(p -> p.handles(metric)).findFirst()
        .map(p -> p.measure(metric, target))
        .orElseGet(() -> Measurement.error(null, "no provider for metric " + metric.getName()));
  }

}
