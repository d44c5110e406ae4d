package dev.blueshift.sample.observability;

import dev.blueshift.sample.SampleConfig;
import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.NamingConvention;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;

/**
 * When enabled, a Micrometer CloudWatch registry that publishes the request and error counts
 * every step, to the namespace the operator's alarms read. Off by default.
 */
@ApplicationScoped
public class CloudWatchPublishing {
    /** Dimension names the operator's error-rate alarms use. */
    public static final String SERVICE_DIMENSION = "Service";

    public static final String REVISION_DIMENSION = "Revision";

    private static final Logger LOG = Logger.getLogger(CloudWatchPublishing.class);

    private final CloudWatchMeterRegistry registry;
    private final CloudWatchAsyncClient client;

    public CloudWatchPublishing(SampleConfig config) {
        SampleConfig.CloudWatch cloudWatch = config.cloudwatch();
        if (!cloudWatch.enabled()) {
            this.registry = null;
            this.client = null;
            return;
        }
        CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder().region(Region.of(cloudWatch.region()));
        cloudWatch.endpoint().map(URI::create).ifPresent(builder::endpointOverride);
        this.client = builder.build();
        this.registry = new CloudWatchMeterRegistry(settings(cloudWatch), Clock.SYSTEM, client);
        registry.config()
                .namingConvention(new PlainCounterNames())
                .commonTags(SERVICE_DIMENSION, config.serviceName(), REVISION_DIMENSION, config.revision());
        LOG.infof(
                "publishing request and error counts to CloudWatch namespace %s every %s",
                cloudWatch.namespace(), cloudWatch.step());
    }

    /** The CloudWatch registry, when publishing is enabled. */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    @PreDestroy
    void close() {
        if (registry != null) {
            registry.close(); // publishes the last step before the Pod goes away
            client.close();
        }
    }

    private static CloudWatchConfig settings(SampleConfig.CloudWatch cloudWatch) {
        return new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return cloudWatch.namespace();
            }

            @Override
            public Duration step() {
                return cloudWatch.step();
            }
        };
    }

    /**
     * Micrometer names a counter's datum "name.count"; the alarms expect the plain name
     * ("Requests", "Errors").
     */
    private static final class PlainCounterNames implements NamingConvention {
        private static final String COUNT_SUFFIX = ".count";

        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            if (type == Meter.Type.COUNTER && name.endsWith(COUNT_SUFFIX)) {
                return name.substring(0, name.length() - COUNT_SUFFIX.length());
            }
            return name;
        }
    }
}
