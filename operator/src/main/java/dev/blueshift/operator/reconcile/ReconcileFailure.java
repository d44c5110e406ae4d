package dev.blueshift.operator.reconcile;

import dev.blueshift.operator.config.LeaseFence;
import dev.blueshift.operator.kube.ApiErrors;
import dev.blueshift.operator.kube.Ownership;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;

/** Why a reconcile failed, in the terms that decide what to do about it. */
record ReconcileFailure(Kind kind, String message) {
    enum Kind {
        /** This replica may have lost its lease while frozen: it writes nothing and exits. */
        FENCED(null),
        /** The namespace, and the MSD with it, is going away: nothing to report or retry. */
        NAMESPACE_TERMINATING(null),
        /** An object of the MSD's name exists that it does not own: retrying fast will not help. */
        NOT_OWNED("NotOwned"),
        /**
         * The API server did not take a write for a while (409, 429, 5xx, no answer): the release did
         * not fail; retried with backoff, the phase unchanged.
         */
        API_RETRYING("ApiRetrying"),
        /** The API server (or anything else) refused: retried with backoff. */
        APPLY_FAILED("ApplyFailed");

        private final String reason;

        Kind(String reason) {
            this.reason = reason;
        }
    }

    /** The ReconcileError condition's reason (and the Warning Event's); null for the kinds that report nothing. */
    String reason() {
        return kind.reason;
    }

    static ReconcileFailure of(Exception e, boolean fenced) {
        if (fenced || findCause(e, LeaseFence.FencedException.class) != null) {
            return new ReconcileFailure(Kind.FENCED, null);
        }
        if (namespaceTerminating(e)) {
            return new ReconcileFailure(Kind.NAMESPACE_TERMINATING, null);
        }
        Ownership.ConflictException conflict = findCause(e, Ownership.ConflictException.class);
        if (conflict != null) {
            return new ReconcileFailure(Kind.NOT_OWNED, conflict.getMessage());
        }
        if (ApiErrors.isTransient(e)) {
            return new ReconcileFailure(
                    Kind.API_RETRYING, "The API server did not take a write; retrying: " + describe(e));
        }
        return new ReconcileFailure(Kind.APPLY_FAILED, describe(e));
    }

    static boolean namespaceTerminating(Exception e) {
        KubernetesClientException k = findCause(e, KubernetesClientException.class);
        return k != null
                && k.getCode() == 403
                && k.getStatus() != null
                && k.getStatus().getDetails() != null
                && k.getStatus().getDetails().getCauses().stream()
                        .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }

    /** The API server's own words for a rejected request, else the exception's message. */
    static String describe(Exception e) {
        KubernetesClientException k = findCause(e, KubernetesClientException.class);
        if (k != null && k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
