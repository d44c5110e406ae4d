package dev.blueshift.operator.aws;

import dev.blueshift.operator.config.AwsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The operator's one AWS credentials provider (the SDK's default chain: on EKS, its own IRSA role)
 * and the SDK clients, all built alike: an endpoint override for emulators, the standard retry
 * strategy with exponential backoff and jitter (throttling included), call and attempt timeouts,
 * and call metrics. Each client is built on first use, so an operator whose MSDs ask nothing of
 * AWS never needs credentials.
 */
@Singleton
public class AwsClients {
    private final AwsConfig config;
    private final MeterRegistry registry;
    /** One provider, which caches credentials (and refreshes them) for every client and signed query. */
    private final DefaultCredentialsProvider credentials =
            DefaultCredentialsProvider.builder().build();

    /**
     * The call and attempt timeouts' timer, one thread for every client: the SDK otherwise starts a
     * pool of 5 per client (make bench, issue 15: 12 of the operator's threads under load).
     */
    private final ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "blueshift-aws-timeouts");
        t.setDaemon(true);
        return t;
    });

    private final Lazy<IamClient> iam;
    private final Lazy<CloudWatchClient> cloudWatch;
    private final Lazy<StsClient> sts;

    public AwsClients(AwsConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        // IAM is global: its signing region is us-east-1 in the aws partition.
        Region iamRegion = "aws".equals(config.partition()) ? Region.AWS_GLOBAL : Region.of(config.region());
        this.iam = new Lazy<>(() -> configure(IamClient.builder(), iamRegion).build());
        this.cloudWatch = new Lazy<>(() -> configure(CloudWatchClient.builder(), Region.of(config.region()))
                .build());
        this.sts = new Lazy<>(
                () -> configure(StsClient.builder(), Region.of(config.region())).build());
    }

    public IamClient iam() {
        return iam.get();
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch.get();
    }

    public StsClient sts() {
        return sts.get();
    }

    /** For requests the operator signs itself (SigV4 Prometheus queries). */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    @PreDestroy
    public void close() {
        if (iam.isMade()) iam.get().close();
        if (cloudWatch.isMade()) cloudWatch.get().close();
        if (sts.isMade()) sts.get().close();
        // Given to the clients, so not closed by them.
        credentials.close();
        timeouts.shutdownNow();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Region region) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.apiCallAttemptTimeout())
                        .socketTimeout(config.apiCallAttemptTimeout()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxAttempts())
                                .backoffStrategy(BackoffStrategy.exponentialDelay(
                                        config.retryBaseDelay(), config.retryMaxBackoff()))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                        config.retryBaseDelay(), config.retryMaxBackoff()))
                                .build())
                        .scheduledExecutorService(timeouts)
                        .apiCallTimeout(config.apiCallTimeout())
                        .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                        .addExecutionInterceptor(new AwsCallMetrics(registry))
                        .build());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
