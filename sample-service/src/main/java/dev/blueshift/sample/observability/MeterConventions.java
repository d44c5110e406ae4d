package dev.blueshift.sample.observability;

import dev.blueshift.sample.SampleConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Every metric carries the release revision (and the service name), so that the operator can
 * compare the preview release with the active one; request and database latencies are published
 * as histograms.
 */
@Singleton
public class MeterConventions {
    public static final String REVISION_TAG = "revision";
    public static final String SERVICE_TAG = "service";

    @Produces
    @Singleton
    MeterFilter revisionTags(SampleConfig config) {
        return MeterFilter.commonTags(Tags.of(REVISION_TAG, config.revision(), SERVICE_TAG, config.serviceName()));
    }

    @Produces
    @Singleton
    MeterFilter latencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getName().equals("http.server.requests") || id.getName().equals("blueshift.db.queries")) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                            .maximumExpectedValue(
                                    (double) Duration.ofSeconds(10).toNanos())
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }
}
