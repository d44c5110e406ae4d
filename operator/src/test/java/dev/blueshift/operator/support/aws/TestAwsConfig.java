package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.config.AwsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** {@link AwsConfig} for tests that build the AWS adapters without Quarkus: the emulator, short timeouts. */
public record TestAwsConfig(
        URI endpointUri, int maxAttempts, Duration apiCallAttemptTimeout, Optional<String> accountId)
        implements AwsConfig {
    public static TestAwsConfig viaProxy() {
        return new TestAwsConfig(AwsEmulator.proxy().endpoint(), 4, Duration.ofSeconds(2), Optional.empty());
    }

    public TestAwsConfig withMaxAttempts(int attempts) {
        return new TestAwsConfig(endpointUri, attempts, apiCallAttemptTimeout, accountId);
    }

    @Override
    public String region() {
        return AwsEmulator.REGION;
    }

    @Override
    public Optional<URI> endpoint() {
        return Optional.of(endpointUri);
    }

    @Override
    public Optional<String> oidcIssuer() {
        return Optional.of(AwsEmulatorResource.OIDC_ISSUER);
    }

    @Override
    public String clusterName() {
        return AwsEmulatorResource.CLUSTER_NAME;
    }

    @Override
    public String partition() {
        return "aws";
    }

    @Override
    public Duration retryBaseDelay() {
        return Duration.ofMillis(50);
    }

    @Override
    public Duration retryMaxBackoff() {
        return Duration.ofMillis(400);
    }

    @Override
    public Duration apiCallTimeout() {
        return Duration.ofSeconds(15);
    }

    @Override
    public Duration alarmPollInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int maxConcurrentSyncs() {
        return 4;
    }

    @Override
    public Duration syncWait() {
        return Duration.ofMillis(250);
    }

    @Override
    public Duration resyncInterval() {
        return Duration.ofSeconds(3);
    }
}
