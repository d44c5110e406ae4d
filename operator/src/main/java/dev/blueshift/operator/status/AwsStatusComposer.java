package dev.blueshift.operator.status;

import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.aws.AwsOutcome;
import dev.blueshift.operator.aws.AwsResources;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Adds what the operator found in AWS (status.aws and the AwsIdentity/AwsAlarms conditions) to a status. Pure. */
public final class AwsStatusComposer {
    private static final Set<String> TYPES = Set.of(AwsResources.IDENTITY, AwsResources.ALARMS);

    private AwsStatusComposer() {}

    public static MicroserviceDeploymentStatus with(
            MicroserviceDeploymentStatus next, AwsOutcome outcome, Long generation, Instant now) {
        next.setAws(outcome.status().orElse(null));
        List<Condition> conditions = next.getConditions();
        Set<String> reported = new java.util.HashSet<>();
        for (AwsOutcome.Condition c : outcome.conditions()) {
            if (reported.add(c.type())) { // the first word on a type wins (e.g. the account could not be found)
                conditions =
                        ConditionList.with(conditions, c.type(), c.status(), c.reason(), c.message(), generation, now);
            }
        }
        // A condition about something the spec no longer asks for would mislead.
        conditions = conditions.stream()
                .filter(c -> !TYPES.contains(c.getType()) || reported.contains(c.getType()))
                .toList();
        next.setConditions(new java.util.ArrayList<>(conditions));
        return next;
    }
}
