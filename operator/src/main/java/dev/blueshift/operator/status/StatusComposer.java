package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Composes the next status of an MSD from what the release decision concluded. Pure. */
public final class StatusComposer {
    private StatusComposer() {}

    /**
     * The status after a successful apply: what the strategy reported ({@code release}), with the
     * generation it describes and the conditions that follow: Available from the serving Pods
     * ({@link Availability}), Ready (the release is done: Healthy) and Progressing (a release is
     * underway: Progressing, Promoting or Paused) from its phase.
     *
     * @param reason a CamelCase word for the phase
     */
    public static MicroserviceDeploymentStatus applied(
            MicroserviceDeployment msd, String reason, MicroserviceDeploymentStatus release, Instant now) {
        Long generation = msd.getMetadata().getGeneration();
        MicroserviceDeploymentStatus next = release.copy();
        Phase phase = next.getPhase();
        boolean healthy = phase == Phase.Healthy;
        boolean inFlight = phase == Phase.Progressing || phase == Phase.Promoting || phase == Phase.Paused;
        List<Condition> conditions = current(msd).getConditions();
        Availability.Verdict availability = Availability.of(
                msd.getSpec().getReplicas(),
                Optional.ofNullable(next.getReadyReplicas()).orElse(0));
        conditions = ConditionList.with(
                conditions,
                ConditionList.AVAILABLE,
                availability.available(),
                availability.reason(),
                availability.message(),
                generation,
                now);
        conditions = ConditionList.with(
                conditions, ConditionList.READY, healthy, reason, next.getMessage(), generation, now);
        conditions = ConditionList.with(
                conditions, ConditionList.PROGRESSING, inFlight, reason, next.getMessage(), generation, now);
        conditions = ConditionList.with(
                conditions, ConditionList.RECONCILE_ERROR, false, "Applied", "The spec was applied.", generation, now);
        next.setObservedGeneration(generation);
        next.setConditions(conditions);
        if (next.getLastRollback() == null) {
            next.setLastRollback(current(msd).getLastRollback());
        }
        return next;
    }

    /** The status after the operator failed to apply the spec: the previous status, phase Failed and why. */
    public static MicroserviceDeploymentStatus failed(
            MicroserviceDeployment msd, String reason, String message, Instant now) {
        MicroserviceDeploymentStatus next = current(msd).copy();
        next.setObservedGeneration(msd.getMetadata().getGeneration());
        next.setPhase(Phase.Failed);
        next.setMessage(message);
        next.setConditions(ConditionList.with(
                next.getConditions(),
                ConditionList.RECONCILE_ERROR,
                true,
                reason,
                message,
                msd.getMetadata().getGeneration(),
                now));
        return next;
    }

    /** The status as it was, with the reconcile error condition set: the release waits, it did not fail. */
    public static MicroserviceDeploymentStatus retrying(
            MicroserviceDeployment msd, String reason, String message, Instant now) {
        return withCondition(msd, ConditionList.RECONCILE_ERROR, true, reason, message, now);
    }

    /** The status as it was, with one condition set. */
    public static MicroserviceDeploymentStatus withCondition(
            MicroserviceDeployment msd, String type, boolean status, String reason, String message, Instant now) {
        MicroserviceDeploymentStatus next = current(msd).copy();
        next.setConditions(ConditionList.with(
                next.getConditions(),
                type,
                status,
                reason,
                message,
                msd.getMetadata().getGeneration(),
                now));
        return next;
    }

    private static MicroserviceDeploymentStatus current(MicroserviceDeployment msd) {
        return Optional.ofNullable(msd.getStatus()).orElseGet(MicroserviceDeploymentStatus::new);
    }
}
