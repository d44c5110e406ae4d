package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A PromQL instant query whose result is compared with a threshold. */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class PrometheusMetric {
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription(
            "Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090. Default: the operator's"
                    + " blueshift.analysis.prometheus-address setting. Any other address must be allowed by the cluster admin"
                    + " (blueshift.analysis.allowed-prometheus-addresses); otherwise each measurement is a provider error and"
                    + " nothing is queried.")
    private String address;

    @Required
    @Size(min = 1, max = 4096)
    @JsonPropertyDescription(
            "PromQL instant query. {{revision}}, {{namespace}} and {{name}} are replaced by the revision under analysis,"
                    + " the MSD's namespace and its name. An empty result or NaN is no data; with several series, each must"
                    + " pass.")
    private String query;

    @Required
    @JsonPropertyDescription("The value the result is compared with.")
    private Double threshold;

    @Default("LessThan")
    @JsonPropertyDescription(
            "When a measurement passes: LessThan (default, e.g. an error rate), LessThanOrEqual, GreaterThan or"
                    + " GreaterThanOrEqual the threshold.")
    private ThresholdCondition condition = ThresholdCondition.LessThan;

    @JsonPropertyDescription(
            "Sign the queries with AWS SigV4, for Amazon Managed Service for Prometheus (address: the workspace's URL"
                    + " up to /api/v1, e.g. https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-.../).")
    private PrometheusSigV4 sigv4;

    public PrometheusSigV4 getSigv4() {
        return sigv4;
    }

    public void setSigv4(PrometheusSigV4 sigv4) {
        this.sigv4 = sigv4;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public ThresholdCondition getCondition() {
        return condition;
    }

    public void setCondition(ThresholdCondition condition) {
        this.condition = condition;
    }
}
