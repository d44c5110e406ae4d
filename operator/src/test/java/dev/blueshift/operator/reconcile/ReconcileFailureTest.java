package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.kube.Ownership;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Why a reconcile failed decides what is reported and retried. */
class ReconcileFailureTest {
    @Test
    void theApiServersOwnWordsAreTheMessageOfAnApplyFailure() {
        KubernetesClientException e = new KubernetesClientException(new StatusBuilder()
                .withCode(422)
                .withMessage("Service \"a.b\" is invalid")
                .build());
        ReconcileFailure failure = ReconcileFailure.of(new RuntimeException("wrapped", e), false);
        assertThat(failure.kind()).isEqualTo(ReconcileFailure.Kind.APPLY_FAILED);
        assertThat(failure.reason()).isEqualTo("ApplyFailed");
        assertThat(failure.message()).isEqualTo("Service \"a.b\" is invalid");
    }

    @Test
    void anObjectSomeoneElseOwnsIsNotOwned() {
        var foreign = new ServiceBuilder()
                .withNewMetadata()
                .withName("pay")
                .endMetadata()
                .build();
        ReconcileFailure failure = ReconcileFailure.of(new Ownership.ConflictException(foreign), false);
        assertThat(failure.kind()).isEqualTo(ReconcileFailure.Kind.NOT_OWNED);
        assertThat(failure.reason()).isEqualTo("NotOwned");
    }

    @Test
    void aTerminatingNamespaceAndAFencedReplicaReportNothing() {
        KubernetesClientException terminating = new KubernetesClientException(new StatusBuilder()
                .withCode(403)
                .withNewDetails()
                .withCauses(new StatusCauseBuilder()
                        .withReason("NamespaceTerminating")
                        .build())
                .endDetails()
                .build());
        assertThat(ReconcileFailure.of(terminating, false).kind())
                .isEqualTo(ReconcileFailure.Kind.NAMESPACE_TERMINATING);
        assertThat(ReconcileFailure.of(new IllegalStateException("boom"), true).kind())
                .isEqualTo(ReconcileFailure.Kind.FENCED);
    }

    @Test
    void aMessagelessExceptionIsNamedByItsClass() {
        assertThat(ReconcileFailure.of(new IllegalStateException(), false).message())
                .isEqualTo("IllegalStateException");
    }
}
