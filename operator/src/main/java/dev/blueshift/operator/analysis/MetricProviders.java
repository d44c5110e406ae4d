package dev.blueshift.operator.analysis;

import dev.blueshift.operator.api.v1alpha1.spec.AnalysisMetric;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Every metric provider, each measuring the metrics whose provider field it owns. The CloudWatch
 * client is built on first use, so an operator without AWS settings starts and serves Prometheus
 * metrics alone.
 */
@ApplicationScoped
public class MetricProviders {
  /** Longest time one Prometheus query may take; an answer later than this is a provider error. */
  static final Duration PROMETHEUS_TIMEOUT = Duration.ofSeconds(5);

  private final List<MetricProvider> providers;

  /**
   * Settings: blueshift.analysis.prometheus-address (the Prometheus of metrics that name none) and
   * blueshift.aws.cluster-name (part of the names of the MSDs' own alarms, default blueshift).
   */
  public MetricProviders() {
    this(List.of(
        new PrometheusProvider(PROMETHEUS_TIMEOUT, setting("blueshift.analysis.prometheus-address"),
            // One provider, which caches credentials (and refreshes them) across queries.
            DefaultCredentialsProvider.builder().build()::resolveCredentials),
        new CloudWatchAlarmProvider(new LazyAlarmStates(), setting("blueshift.aws.cluster-name").orElse("blueshift"))));
  }

  private static Optional<String> setting(String name) {
    return ConfigProvider.getConfig().getOptionalValue(name, String.class).filter(v -> !v.isBlank());
  }

  public MetricProviders(List<MetricProvider> providers) {
    this.providers = providers;
  }

  public Measurement measure(AnalysisMetric metric, AnalysisTarget target) {
    return providers.stream().filter(p -> p.handles(metric)).findFirst()
        .map(p -> p.measure(metric, target))
        .orElseGet(() -> Measurement.error(null, "no provider for metric " + metric.getName()));
  }

  /** DescribeAlarms with blueshift.aws.region and, for an emulator, blueshift.aws.endpoint; the SDK's default credentials. */
  private static final class LazyAlarmStates implements AlarmStates {
    private final AtomicReference<SdkAlarmStates> delegate = new AtomicReference<>();

    @Override
    public java.util.Map<String, String> states(java.util.Collection<String> alarmNames) {
      return delegate.updateAndGet(d -> d != null ? d : new SdkAlarmStates(client())).states(alarmNames);
    }

    private static CloudWatchClient client() {
      var config = ConfigProvider.getConfig();
      // Explicit: the CloudWatch module also brings the Apache and Netty clients, and the SDK refuses to choose.
      var builder = CloudWatchClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
          .region(Region.of(config.getOptionalValue("blueshift.aws.region", String.class).orElse("us-east-1")));
      config.getOptionalValue("blueshift.aws.endpoint", String.class).map(URI::create).ifPresent(builder::endpointOverride);
      return builder.build();
    }
  }
}
