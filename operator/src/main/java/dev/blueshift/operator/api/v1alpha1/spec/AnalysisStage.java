package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** One stage of the analysis of a release (pre-promotion, or post-promotion bake time). */
public class AnalysisStage {
    /**
     * A whole number and one unit: 500ms, 30s, 5m, 1h; at most 7 digits of ms or s, 6 of m, 5 of h
     * (about 115 days, 1.9 years, 11 years): bounded so that the operator (and CEL's duration()) can
     * always read the value.
     */
    public static final String DURATION_PATTERN = "^([0-9]{1,7}(ms|s)|[0-9]{1,6}m|[0-9]{1,5}h)$";

    @Pattern(DURATION_PATTERN)
    @Default("0s")
    @JsonPropertyDescription(
            "How long the stage measures, e.g. 30s, 5m (a whole number of at most 7 digits with ms or s, 6 with m, 5"
                    + " with h). It passes once this time is over and the last measurement of"
                    + " every metric passed; 0s: one passing measurement of each metric suffices. Default 0s.")
    private String duration = "0s";

    public AnalysisStage() {}

    public AnalysisStage(String duration) {
        this.duration = duration;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }
}
