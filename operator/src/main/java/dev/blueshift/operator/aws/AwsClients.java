package dev.blueshift.operator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the SDK clients the operator uses, all alike: the default credentials chain, an
 * endpoint override for emulators, the standard retry strategy with exponential backoff and
 * jitter (throttling included), call and attempt timeouts, and call metrics.
 */
public final class AwsClients {
    private AwsClients() {}

    public static IamClient iam(AwsConfig config, MeterRegistry registry) {
        // IAM is global: its signing region is us-east-1 in the aws partition.
        Region region = "aws".equals(config.partition()) ? Region.AWS_GLOBAL : Region.of(config.region());
        return configure(IamClient.builder(), config, registry, region).build();
    }

    public static CloudWatchClient cloudWatch(AwsConfig config, MeterRegistry registry) {
        return configure(CloudWatchClient.builder(), config, registry, Region.of(config.region()))
                .build();
    }

    public static StsClient sts(AwsConfig config, MeterRegistry registry) {
        return configure(StsClient.builder(), config, registry, Region.of(config.region()))
                .build();
    }

    private static <
                    B extends
                            AwsClientBuilder<B, ?>
                                    & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
            B configure(B builder, AwsConfig config, MeterRegistry registry, Region region) {
        builder.region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
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
                        .apiCallTimeout(config.apiCallTimeout())
                        .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                        .addExecutionInterceptor(new AwsCallMetrics(registry))
                        .build());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
