package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** AWS Signature Version 4 on the queries, for Amazon Managed Service for Prometheus. */
public class PrometheusSigV4 {
    @Required
    @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
    @JsonPropertyDescription(
            "Region of the Amazon Managed Service for Prometheus workspace, e.g. eu-west-1. Requests are signed for"
                    + " service aps with the operator's AWS credentials (on EKS, its own IRSA role).")
    private String region;

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }
}
