package dev.blueshift.operator.release;

import dev.blueshift.operator.status.ReleaseView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a strategy did in one reconcile: what status should show, what to tell, when to look again.
 *
 * @param rolledBackOn the metric whose failure rolled the release back in this reconcile, if it did
 */
public record StrategyOutcome(
        ReleaseView view,
        List<Announcement> announcements,
        Set<String> consumedCommands,
        Optional<Duration> requeueAfter,
        Optional<String> rolledBackOn) {}
