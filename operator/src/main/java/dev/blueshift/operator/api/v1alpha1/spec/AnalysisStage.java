package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** One stage of the analysis of a release (pre-promotion, or post-promotion bake time). */
public class AnalysisStage {
  /** A whole number and one unit: 500ms, 30s, 5m, 1h. */
  public static final String DURATION_PATTERN = "^[0-9]+(ms|s|m|h)$";

  @Pattern(DURATION_PATTERN)
  @Default("0s")
  @JsonPropertyDescription(
      "How long the stage measures, e.g. 30s, 5m. It passes once this time is over and the last measurement of"
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
