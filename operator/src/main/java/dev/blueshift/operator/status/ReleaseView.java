package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.status.AnalysisStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.api.v1alpha1.status.ProgressStatus;
import dev.blueshift.operator.api.v1alpha1.status.RollbackStatus;
import java.time.Instant;

/**
 * What a strategy concluded about a release, in the terms status shows. Fields a strategy does not
 * have are null (Rolling has no stable, preview or aborted revision). A null lastRollback keeps the
 * one in status: it is news only when a rollback happens.
 */
public record ReleaseView(
        Phase phase,
        String reason,
        String message,
        int replicas,
        int readyReplicas,
        String currentRevision,
        String stableRevision,
        String activeRevision,
        String previewRevision,
        String activeSelector,
        String previewSelector,
        Instant previewReadyAt,
        ProgressStatus lastProgress,
        String abortedRevision,
        String abortReason,
        Integer collisionCount,
        AnalysisStatus analysis,
        RollbackStatus lastRollback) {}
