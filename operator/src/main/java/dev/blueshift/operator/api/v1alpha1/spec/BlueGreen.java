package dev.blueshift.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BlueGreen {
    @Min(1)
    @JsonPropertyDescription(
            "Pods of a new revision while it is in preview, before promotion. Default: spec.replicas. Must not exceed"
                    + " spec.replicas.")
    private Integer previewReplicaCount;

    @JsonPropertyDescription("Whether and when a ready preview is promoted without a user's command.")
    private AutoPromotion autoPromotion = new AutoPromotion();

    @Min(0)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription(
            "Seconds the previous revision stays scaled up after a promotion, ready for a fast rollback. Default 30.")
    private Integer scaleDownDelaySeconds = 30;

    @Min(0)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription("Seconds an aborted revision stays scaled up before it goes to 0. Default 30.")
    private Integer abortScaleDownDelaySeconds = 30;

    public Integer getPreviewReplicaCount() {
        return previewReplicaCount;
    }

    public void setPreviewReplicaCount(Integer previewReplicaCount) {
        this.previewReplicaCount = previewReplicaCount;
    }

    public AutoPromotion getAutoPromotion() {
        return autoPromotion;
    }

    public void setAutoPromotion(AutoPromotion autoPromotion) {
        this.autoPromotion = autoPromotion;
    }

    public Integer getScaleDownDelaySeconds() {
        return scaleDownDelaySeconds;
    }

    public void setScaleDownDelaySeconds(Integer scaleDownDelaySeconds) {
        this.scaleDownDelaySeconds = scaleDownDelaySeconds;
    }

    public Integer getAbortScaleDownDelaySeconds() {
        return abortScaleDownDelaySeconds;
    }

    public void setAbortScaleDownDelaySeconds(Integer abortScaleDownDelaySeconds) {
        this.abortScaleDownDelaySeconds = abortScaleDownDelaySeconds;
    }
}
