package dev.blueshift.operator.aws;

import dev.blueshift.operator.aws.cloudwatch.AlarmPoller;
import dev.blueshift.operator.aws.cloudwatch.AlarmSync;
import dev.blueshift.operator.aws.cloudwatch.CloudWatchAlarms;
import dev.blueshift.operator.aws.cloudwatch.SdkCloudWatchAlarms;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.IamRoles;
import dev.blueshift.operator.aws.iam.SdkIamRoles;
import dev.blueshift.operator.config.AwsConfig;
import dev.blueshift.operator.config.GuardrailConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes {@link AwsResources} from the configuration and the {@link AwsClients}. Adapters are made
 * on first use, so an operator whose MSDs ask nothing of AWS never needs credentials.
 */
@Singleton
public class AwsWiring {
    private static final Logger LOG = Logger.getLogger(AwsWiring.class);

    @Produces
    @Singleton
    AwsResources awsResources(
            AwsConfig config, AwsClients clients, GuardrailConfig guardrailConfig, KubernetesClient kubernetes) {
        GuardrailProfiles guardrails =
                new GuardrailProfiles(guardrailConfig, namespace -> namespaceLabels(kubernetes, namespace));
        Lazy<IamRoles> roles = new Lazy<>(() -> new SdkIamRoles(clients.iam()));
        Lazy<CloudWatchAlarms> alarms = new Lazy<>(() -> new SdkCloudWatchAlarms(clients.cloudWatch()));
        Lazy<AwsTarget> target = new Lazy<>(() -> new AwsTarget(
                config.clusterName(),
                config.accountId()
                        .orElseGet(() -> clients.sts().getCallerIdentity().account()),
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
}
