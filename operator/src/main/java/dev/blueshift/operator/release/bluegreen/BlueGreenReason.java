package dev.blueshift.operator.release.bluegreen;

/** Why a blue/green release is in its phase: the reason of the Ready and Progressing conditions. */
public enum BlueGreenReason {
    Released,
    FirstRelease,
    SwitchingStrategy,
    Scaling,
    Previewing,
    PrePromotionAnalysis,
    AwaitingPromotion,
    AutoPromotionScheduled,
    ScalingUp,
    PostPromotionAnalysis,
    Aborted,
    RolledBack,
    ProgressDeadlineExceeded
}
