package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class ServicePorts {
    @Min(1)
    @Max(65535)
    @Default("80")
    @JsonPropertyDescription("Port the Service listens on.")
    private Integer port = 80;

    @Min(1)
    @Max(65535)
    @Default("8080")
    @JsonPropertyDescription("Container port the Service forwards to.")
    private Integer targetPort = 8080;

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getTargetPort() {
        return targetPort;
    }

    public void setTargetPort(Integer targetPort) {
        this.targetPort = targetPort;
    }
}
