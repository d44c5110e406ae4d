package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

public class Strategy {
  @Default("Rolling")
  @JsonPropertyDescription("Rolling: a Deployment with a rolling update.")
  private StrategyType type = StrategyType.Rolling;

  public StrategyType getType() {
    return type;
  }

  public void setType(StrategyType type) {
    this.type = type;
  }
}
