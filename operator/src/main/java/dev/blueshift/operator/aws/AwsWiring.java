package dev.blueshift.operator.aws;

import dev.blueshift.operator.analysis.AlarmStates;
import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmSync;
import dev.blueshift.operator.aws.cloudwatch.CloudWatchAlarms;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.SdkIamRoles;
import dev.blueshift.operator.config.GuardrailConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Makes {@link AwsResources} from the configuration. Clients are built on first use, so an
 * operator whose MSDs ask nothing of AWS never needs credentials.
 */
@Singleton
public class AwsWiring {
    private static final Logger LOG = Logger.getLogger(AwsWiring.class);
    private final AwsConfig config;
    private final Lazy<IamClient> iam;
    private final Lazy<CloudWatchClient> cloudWatch;
    private final Lazy<StsClient> sts;
    private final Lazy<CloudWatchAlarms> alarms;

    private final GuardrailProfiles guardrails;

    public AwsWiring(
            AwsConfig config, GuardrailConfig guardrailConfig, KubernetesClient kubernetes, MeterRegistry registry) {
        this.config = config;
        this.guardrails = new GuardrailProfiles(guardrailConfig, namespace -> namespaceLabels(kubernetes, namespace));
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
        AlarmPoller poller = new AlarmPoller(alarms);
        return new AwsResources(
                new AwsSync(target, new IdentitySync(roles, guardrails::forNamespace), new AlarmSync(alarms, poller)),
                poller,
                SyncSettings.of(config),
                Clock.systemUTC());
    }

    /** A namespace's labels (one GET per AWS sync of an MSD with a role, which is rare); empty when it cannot be read. */
    private static Optional<Map<String, String>> namespaceLabels(KubernetesClient kubernetes, String namespace) {
        try {
            Namespace ns = kubernetes.namespaces().withName(namespace).get();
            return ns == null
                    ? Optional.empty()
                    : Optional.of(Objects.requireNonNullElse(ns.getMetadata().getLabels(), Map.of()));
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read Namespace %s for its guardrail profile: %s", namespace, e.getMessage());
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        if (iam.isMade()) iam.get().close();
        if (cloudWatch.isMade()) cloudWatch.get().close();
        if (sts.isMade()) sts.get().close();
    }
}
