package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class AutoPromotion {
    @Default("true")
    @JsonPropertyDescription(
            "true: promote a ready preview by itself (after afterSeconds). false: pause until `kubectl blueshift promote`.")
    private Boolean enabled = true;

    @Min(0)
    @Max(604800)
    @Default("0")
    @JsonPropertyDescription("Seconds to wait, once the preview is ready and its checks passed, before promoting.")
    private Integer afterSeconds = 0;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getAfterSeconds() {
        return afterSeconds;
    }

    public void setAfterSeconds(Integer afterSeconds) {
        this.afterSeconds = afterSeconds;
    }
}
