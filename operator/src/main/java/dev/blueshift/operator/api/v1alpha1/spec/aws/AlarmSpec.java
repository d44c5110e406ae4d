package dev.blueshift.operator.api.v1alpha1.spec.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One alarm, created once per release revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlarmSpec {
    @Required
    @Size(min = 1, max = 40)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the alarm within the MicroserviceDeployment (lowercase letters, digits and '-').")
    private String name;

    @Required
    @JsonPropertyDescription(
            "An alarm on the share of requests that failed: errors / requests, by CloudWatch metric math.")
    private ErrorRateAlarm errorRate;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public ErrorRateAlarm getErrorRate() {
        return errorRate;
    }

    public void setErrorRate(ErrorRateAlarm errorRate) {
        this.errorRate = errorRate;
    }
}
