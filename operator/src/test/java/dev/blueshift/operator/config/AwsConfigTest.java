package dev.blueshift.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsConfigTest {
    /** As Quarkus reads the settings: durations such as 30s and 10m included. */
    private static SmallRyeConfigBuilder settings() {
        return new SmallRyeConfigBuilder()
                .withMapping(AwsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter());
    }

    @Test
    void withoutAClusterNameTheOperatorDoesNotStartAndSaysWhichSettingIsMissing() {
        assertThatThrownBy(settings()::build)
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("blueshift.aws.cluster-name")
                .hasMessageNotContaining("threw an Exception");
    }

    @Test
    void aClusterNameIsAllItNeeds() {
        AwsConfig config = settings()
                .withSources(new PropertiesConfigSource(Map.of("blueshift.aws.cluster-name", "prod-eu"), "test", 100))
                .build()
                .getConfigMapping(AwsConfig.class);

        assertThat(config.clusterName()).isEqualTo("prod-eu");
    }
}
