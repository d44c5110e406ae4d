package dev.blueshift.operator.aws;

import dev.blueshift.operator.analysis.AlarmStates;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.CloudWatchAlarms;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.SdkIamRoles;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Makes {@link AwsResources} from the configuration. Clients are built on first use, so an
 * operator whose MSDs ask nothing of AWS never needs credentials.
 */
@Singleton
public class AwsWiring {
  private final AwsConfig config;
  private final Lazy<IamClient> iam;
  private final Lazy<CloudWatchClient> cloudWatch;
  private final Lazy<StsClient> sts;
  private final Lazy<CloudWatchAlarms> alarms;

  public AwsWiring(AwsConfig config, MeterRegistry registry) {
    this.config = config;
    this.iam = new Lazy<>(() -> AwsClients.iam(config, registry));
    this.cloudWatch = new Lazy<>(() -> AwsClients.cloudWatch(config, registry));
    this.sts = new Lazy<>(() -> AwsClients.sts(config, registry));
    this.alarms = new Lazy<>(() -> new SdkCloudWatchAlarms(cloudWatch.get()));
  }

  /** Alarm states for release analysis, through the same client (and call metrics) as the alarms themselves. */
  @Produces
  @Singleton
  AlarmStates alarmStates() {
    return names -> alarms.get().readings(names);
  }

  @Produces
  @Singleton
  AwsResources awsResources() {
    Lazy<IamRoles> roles = new Lazy<>(() -> new SdkIamRoles(iam.get()));
    Lazy<AwsTarget> target = new Lazy<>(() -> new AwsTarget(
        config.clusterName(),
        config.accountId().orElseGet(() -> sts.get().getCallerIdentity().account()),
        config.partition(),
        config.oidcIssuer()));
    return new AwsResources(target, roles, alarms, new AlarmPoller(alarms), config.resyncInterval(),
        config.alarmPollInterval(), config.maxConcurrentSyncs(), Clock.systemUTC());
  }

  @PreDestroy
  void close() {
    if (iam.isMade()) iam.get().close();
    if (cloudWatch.isMade()) cloudWatch.get().close();
    if (sts.isMade()) sts.get().close();
  }
}
