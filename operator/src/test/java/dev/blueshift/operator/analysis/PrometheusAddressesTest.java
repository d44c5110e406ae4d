package dev.blueshift.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which prometheus.address values the admin's settings allow: table-driven, every refusal before any request. */
class PrometheusAddressesTest {
    private static final PrometheusAddresses ADDRESSES = new PrometheusAddresses(
            Optional.of("http://prometheus.monitoring:9090"),
            List.of(
                    "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/",
                    "http://127.0.0.1:19090",
                    "http://thanos.monitoring/api-prefix",
                    "  "));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
      http://prometheus.monitoring:9090                                           | allowed
      http://prometheus.monitoring:9090/                                          | allowed
      http://prometheus.monitoring:9090///                                        | allowed
      http://PROMETHEUS.Monitoring:9090                                           | allowed
      HTTP://prometheus.monitoring:9090                                           | allowed
      http://prometheus.monitoring:9090/sub/path                                  | allowed
      http://prometheus.monitoring:9091                                           | refused
      http://prometheus.monitoring                                                | refused
      https://prometheus.monitoring:9090                                          | refused
      http://prometheus.monitoring.evil:9090                                      | refused
      http://evil:9090                                                            | refused
      http://prometheus.monitoring:9090@evil/                                     | refused
      http://prometheus.monitoring@evil:9090/                                     | refused
      http://user:secret@prometheus.monitoring:9090                               | refused
      http://prometheus.monitoring:9090/?x=1                                      | refused
      http://prometheus.monitoring:9090?                                          | refused
      http://prometheus.monitoring:9090/#x                                        | refused
      http://evil#@prometheus.monitoring:9090                                     | refused
      http://prometheus.monitoring:9090\\@evil                                    | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1              | allowed
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/             | allowed
      https://aps-workspaces.eu-west-1.amazonaws.com:443/workspaces/ws-1          | allowed
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1       | allowed
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12             | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-2              | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces                   | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/                             | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/../ws-2      | refused
      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/%2e%2e/ws-2  | refused
      https://aps-workspaces.eu-west-1.amazonaws.com:8443/workspaces/ws-1         | refused
      http://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1               | refused
      http://thanos.monitoring/api-prefix                                         | allowed
      http://thanos.monitoring:80/api-prefix/                                     | allowed
      http://thanos.monitoring/api-prefix/deeper                                  | allowed
      http://thanos.monitoring/api-prefixed                                       | refused
      http://thanos.monitoring/                                                   | refused
      http://127.0.0.1:19090                                                      | allowed
      http://127.0.0.1:18999/latest/meta-data/iam/security-credentials/x          | refused
      http://169.254.169.254/latest/meta-data/                                    | refused
      http://localhost:19090                                                      | refused
      http://[::1]:19090                                                          | refused
      http://2130706433:19090                                                     | refused
      ftp://prometheus.monitoring:9090                                            | refused
      http:///api                                                                 | refused
      not a url                                                                   | refused
      """)
    void anAddressIsAllowedOnlyUnderAnAllowedBase(String address, String expected) {
        Optional<String> refusal = ADDRESSES.refusal(address);
        if (expected.equals("allowed")) {
            assertThat(refusal).isEmpty();
        } else {
            assertThat(refusal)
                    .hasValueSatisfying(m -> assertThat(m)
                            .startsWith("prometheus.address ")
                            .contains(
                                    "is not allowed by the operator (blueshift.analysis.allowed-prometheus-addresses)")
                            .endsWith("ask the cluster admin"));
        }
    }

    @Test
    void theRefusalNamesTheFieldTheSettingAndWhy() {
        assertThat(ADDRESSES.refusal("http://x:1/"))
                .contains(
                        "prometheus.address http://x:1/ is not allowed by the operator (blueshift.analysis.allowed-prometheus-addresses); ask the cluster admin");
        assertThat(ADDRESSES.refusal("http://prometheus.monitoring@evil:9090/"))
                .hasValueSatisfying(m -> assertThat(m).contains("userinfo (user@host) is never allowed"));
    }

    @Test
    void withoutAnAllowListOnlyTheDefaultAddressIsAllowedAndWithoutEitherNothing() {
        PrometheusAddresses defaultOnly =
                new PrometheusAddresses(Optional.of("http://prometheus.monitoring:9090/"), List.of());
        assertThat(defaultOnly.refusal("http://prometheus.monitoring:9090")).isEmpty();
        assertThat(defaultOnly.refusal("http://127.0.0.1:19090")).isPresent();
        assertThat(defaultOnly.defaultAddress()).contains("http://prometheus.monitoring:9090/");

        PrometheusAddresses none = new PrometheusAddresses(Optional.of(" "), List.of());
        assertThat(none.defaultAddress()).isEmpty();
        assertThat(none.refusal("http://prometheus.monitoring:9090")).isPresent();
    }

    @Test
    void anAdminEntryThatIsNotAPlainBaseUrlStopsTheOperatorNamingTheSetting() {
        assertThatThrownBy(() -> new PrometheusAddresses(Optional.empty(), List.of("http://u@prometheus:9090")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blueshift.analysis.allowed-prometheus-addresses");
        assertThatThrownBy(() -> new PrometheusAddresses(Optional.of("prometheus:9090"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blueshift.analysis.prometheus-address");
    }
}
