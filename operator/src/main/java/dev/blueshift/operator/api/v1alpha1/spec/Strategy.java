package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.blueGreen) || self.type == 'BlueGreen'",
        message = "spec.strategy.blueGreen is only allowed with spec.strategy.type BlueGreen",
        fieldPath = ".blueGreen")
public class Strategy {
    @Default("Rolling")
    @JsonPropertyDescription(
            "Rolling: a Deployment with a rolling update. BlueGreen: a new ReplicaSet per revision behind a preview"
                    + " Service, promoted to the active Service when ready.")
    private StrategyType type = StrategyType.Rolling;

    @JsonPropertyDescription("Settings of the BlueGreen strategy; defaults apply when absent.")
    private BlueGreen blueGreen;

    public StrategyType getType() {
        return type;
    }

    public void setType(StrategyType type) {
        this.type = type;
    }

    public BlueGreen getBlueGreen() {
        return blueGreen;
    }

    public void setBlueGreen(BlueGreen blueGreen) {
        this.blueGreen = blueGreen;
    }

    /** The BlueGreen settings, with defaults when the user gave none. */
    public BlueGreen blueGreenOrDefaults() {
        return blueGreen == null ? new BlueGreen() : blueGreen;
    }
}
