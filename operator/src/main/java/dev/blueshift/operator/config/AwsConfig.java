package dev.blueshift.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator's AWS settings, {@code blueshift.aws.*} (environment: BLUESHIFT_AWS_*). Credentials
 * come from the SDK's default chain: on EKS, the operator's own IRSA role.
 */
@ConfigMapping(prefix = "blueshift.aws")
public interface AwsConfig {
    /** Region of the CloudWatch alarms (and STS). */
    @WithDefault("us-east-1")
    String region();

    /** An emulator's endpoint for every AWS service (e.g. moto); empty: the real AWS endpoints. */
    Optional<URI> endpoint();

    /** The account of the roles; empty: asked once from STS GetCallerIdentity. */
    Optional<String> accountId();

    /** The cluster's OIDC issuer URL (EKS: aws eks describe-cluster ... identity.oidc.issuer); required for roles. */
    Optional<String> oidcIssuer();

    /**
     * Name of this cluster, part of every role's and alarm's name and ownership tags. Required, with
     * no default: two clusters sharing an account and a default name would rewrite each other's
     * roles and delete each other's alarms, so the operator does not start without one.
     */
    String clusterName();

    /** aws, aws-cn or aws-us-gov. */
    @WithDefault("aws")
    String partition();

    /**
     * How many MSDs' AWS work (a sync or a cleanup) may run at once. An MSD that finds them all
     * taken asks AWS nothing this time and comes back a second later, so a slow or unreachable AWS
     * holds at most this many reconcile threads; the others go on with Kubernetes work.
     */
    @WithDefault("4")
    int maxConcurrentSyncs();

    /** Attempts of one AWS call, retries with exponential backoff and jitter included (throttling too). */
    @WithDefault("5")
    int maxAttempts();

    @WithDefault("200ms")
    Duration retryBaseDelay();

    @WithDefault("20s")
    Duration retryMaxBackoff();

    /**
     * Longest time one AWS call may take, all its retries included. Calls run on reconcile threads:
     * during an AWS outage a reconcile that asks AWS is held up to about this long per failing call
     * (and at most max-concurrent-syncs reconciles ask at once).
     */
    @WithDefault("20s")
    Duration apiCallTimeout();

    /** Longest time one attempt of an AWS call may take. */
    @WithDefault("5s")
    Duration apiCallAttemptTimeout();

    /** How often the shared poller reads the state of every alarm (DescribeAlarms, 100 names a call). */
    @WithDefault("30s")
    Duration alarmPollInterval();

    /**
     * How long a reconcile waits for its MSD's AWS sync; a longer one finishes in the background and
     * reconciles the MSD when done, so a slow AWS cannot hold a release or a rollback.
     */
    @WithDefault("250ms")
    Duration syncWait();

    /** How often an MSD's AWS resources are compared with AWS without a change of spec (drift correction). */
    @WithDefault("10m")
    Duration resyncInterval();
}
