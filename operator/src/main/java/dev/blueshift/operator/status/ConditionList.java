package dev.blueshift.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Conditions with Kubernetes semantics: one per type, and lastTransitionTime moves only when the
 * status changes, so that `kubectl describe` shows how long a state has held.
 */
public final class ConditionList {
    public static final String READY = "Ready";
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String RECONCILE_ERROR = "ReconcileError";

    private ConditionList() {}

    /** A copy of {@code current} with the condition of {@code type} set as given. */
    public static List<Condition> with(
            List<Condition> current,
            String type,
            boolean status,
            String reason,
            String message,
            Long observedGeneration,
            Instant now) {
        String statusText = status ? "True" : "False";
        List<Condition> next = new ArrayList<>();
        boolean found = false;
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (!type.equals(c.getType())) {
                next.add(c);
                continue;
            }
            found = true;
            String since = statusText.equals(c.getStatus()) ? c.getLastTransitionTime() : timestamp(now);
            next.add(condition(type, statusText, reason, message, observedGeneration, since));
        }
        if (!found) {
            next.add(condition(type, statusText, reason, message, observedGeneration, timestamp(now)));
        }
        return next;
    }

    private static Condition condition(
            String type, String status, String reason, String message, Long generation, String since) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    public static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
