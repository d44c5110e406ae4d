package dev.blueshift.operator.release;

import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a strategy did in one reconcile: what status should show, what to tell, when to look again.
 *
 * @param reason a CamelCase word for the phase, for the Ready and Progressing conditions
 * @param release the status fields the strategy owns (phase, message, Pod counts, revisions,
 *     selectors, analysis); the reconciler adds the generation, conditions and AWS. A null
 *     lastRollback keeps the one in status: it is news only when a rollback happens.
 * @param rolledBackOn the metric whose failure rolled the release back in this reconcile, if it did
 */
public record StrategyOutcome(
        String reason,
        MicroserviceDeploymentStatus release,
        List<Announcement> announcements,
        Set<String> consumedCommands,
        Optional<Duration> requeueAfter,
        Optional<String> rolledBackOn) {}
