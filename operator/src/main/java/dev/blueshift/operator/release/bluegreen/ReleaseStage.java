package dev.blueshift.operator.release.bluegreen;

/** The stages of a release whose checks can hold, abort or roll it back. */
public enum ReleaseStage {
    /** The preview is ready; the active Service is still on the stable revision. */
    PrePromotion,
    /** The new revision serves (bake time); the stable revision stays scaled up. */
    PostPromotion
}
