package dev.blueshift.operator.aws;

import dev.blueshift.operator.api.v1alpha1.status.AwsStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link AwsResources} made of an MSD in AWS: the status part, the conditions to set, the
 * ServiceAccount to apply, Events worth recording, and when to look again.
 */
public record AwsOutcome(
        Optional<AwsStatus> status,
        List<Condition> conditions,
        Optional<ServiceAccount> serviceAccount,
        List<Note> notes,
        Optional<Duration> requeueAfter) {
    /** Condition types. */
    public static final String IDENTITY = "AwsIdentity";

    public static final String ALARMS = "AwsAlarms";

    /** A condition of type AwsIdentity or AwsAlarms. */
    public record Condition(String type, boolean status, String reason, String message) {}

    /** Something worth an Event (adoption, drift corrected, alarms pruned). */
    public record Note(boolean warning, String reason, String message) {}

    public static AwsOutcome none() {
        return new AwsOutcome(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.empty());
    }

    AwsOutcome withRequeue(Duration after) {
        return new AwsOutcome(status, conditions, serviceAccount, notes, Optional.of(after));
    }

    AwsOutcome withNotes(List<Note> notes) {
        return new AwsOutcome(status, conditions, serviceAccount, notes, requeueAfter);
    }

    AwsOutcome withoutNotes(AwsStatus status, Optional<Duration> requeueAfter) {
        return new AwsOutcome(Optional.of(status), conditions, serviceAccount, List.of(), requeueAfter);
    }
}
