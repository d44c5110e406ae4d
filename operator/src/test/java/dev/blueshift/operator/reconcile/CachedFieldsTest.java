package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.kube.RevisionReplicaSetBuilder;
import dev.blueshift.operator.kube.RollingDeploymentBuilder;
import dev.blueshift.operator.kube.TrafficServiceBuilder;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.release.PodCounts;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CachedFieldsTest {
    private final MicroserviceDeployment msd = msd();

    @Test
    void anMsdsReplicaSetKeepsItsSpecMetadataAndPodCountsButNotItsConditions() {
        ReplicaSet built = RevisionReplicaSetBuilder.build(
                msd,
                "abc",
                "digest",
                "{\"spec\":{}}",
                RevisionReplicaSetBuilder.template(msd, "abc"),
                2,
                3,
                Instant.parse("2026-01-01T00:00:00Z"),
                true);
        ReplicaSet served = asServed(built);
        served.setStatus(new ReplicaSetStatusBuilder()
                .withReplicas(2)
                .withReadyReplicas(1)
                .withObservedGeneration(4L)
                .withConditions(new ReplicaSetConditionBuilder()
                        .withType("ReplicaFailure")
                        .withMessage("forbidden")
                        .build())
                .build());
        served.getMetadata().setGeneration(4L);

        ReplicaSet cached = CachedFields.replicaSet(copy(served));

        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(cached.getMetadata().getAnnotations())
                .containsAllEntriesOf(built.getMetadata().getAnnotations())
                .doesNotContainKey(CachedFields.LAST_APPLIED);
        assertThat(cached.getMetadata().getLabels())
                .isEqualTo(built.getMetadata().getLabels());
        assertThat(cached.getMetadata().getOwnerReferences())
                .isEqualTo(built.getMetadata().getOwnerReferences());
        // the template is applied again when the ReplicaSet is scaled or marked: it stays whole
        assertThat(cached.getSpec()).isEqualTo(served.getSpec());
        assertThat(PodCounts.ready(cached)).isEqualTo(1);
        assertThat(PodCounts.existing(cached)).isEqualTo(2);
        assertThat(PodCounts.statusCurrent(cached)).isTrue();
        assertThat(cached.getStatus().getConditions()).isNullOrEmpty();
    }

    @Test
    void aReplicaSetOfADeploymentKeepsOnlyItsMetadata() {
        ReplicaSet deployments = asServed(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata()
                .withName("cart-5d8f")
                .withNamespace("shop")
                .withLabels(Map.of("blueshift.dev/msd", "cart"))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName("cart")
                        .withUid("d-uid")
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withTemplate(RevisionReplicaSetBuilder.template(msd, "x"))
                .endSpec()
                .build());

        ReplicaSet cached = CachedFields.replicaSet(deployments);

        assertThat(cached.getMetadata().getName()).isEqualTo("cart-5d8f");
        assertThat(cached.getMetadata().getOwnerReferences()).hasSize(1);
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getStatus()).isNull();
    }

    @Test
    void aServiceKeepsItsSelectorAndMetadataOnly() {
        Service built = TrafficServiceBuilder.active(msd, Map.of("blueshift.dev/revision", "abc"));
        Service served = asServed(built);
        served.getSpec().setClusterIP("10.0.0.12");
        served.getSpec().setPorts(List.of(new ServicePortBuilder().withPort(80).build()));

        Service cached = CachedFields.service(copy(served));

        assertThat(cached.getSpec().getSelector()).isEqualTo(Map.of("blueshift.dev/revision", "abc"));
        assertThat(cached.getSpec().getClusterIP()).isNull();
        assertThat(cached.getSpec().getPorts()).isNullOrEmpty();
        assertThat(cached.getStatus()).isNull();
        assertThat(cached.getMetadata().getOwnerReferences())
                .isEqualTo(built.getMetadata().getOwnerReferences());
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
    }

    @Test
    void aDeploymentKeepsItsStatusAnnotationsAndTheServiceAccountItsPodsRunAs() {
        Deployment built = RollingDeploymentBuilder.build(msd, "");
        built.getSpec().getTemplate().getSpec().setServiceAccountName("cart");
        Deployment served = asServed(built);
        served.getMetadata().getAnnotations().put(RevisionReplicaSetBuilder.SCALE_DOWN_AT, "2026-01-01T00:00:00Z");
        served.setStatus(new DeploymentStatusBuilder()
                .withReplicas(2)
                .withReadyReplicas(2)
                .withConditions(new DeploymentConditionBuilder()
                        .withType("Progressing")
                        .withStatus("False")
                        .build())
                .build());

        Deployment cached = CachedFields.deployment(copy(served));

        assertThat(cached.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("cart");
        assertThat(cached.getSpec().getTemplate().getSpec().getContainers()).isNullOrEmpty();
        assertThat(cached.getSpec().getReplicas()).isEqualTo(served.getSpec().getReplicas());
        assertThat(cached.getStatus()).isEqualTo(served.getStatus());
        assertThat(RevisionReplicaSetBuilder.scaleDownAt(cached)).isPresent();
        assertThat(cached.getMetadata().getManagedFields()).isNull();
    }

    @Test
    void aServiceAccountStillHoldsWhatTheOperatorWouldApply() {
        ServiceAccount built = WorkloadServiceAccountBuilder.build(
                msd, "cart", Optional.of("arn:aws:iam::123456789012:role/cart"), true);

        ServiceAccount cached = CachedFields.serviceAccount(asServed(built));

        assertThat(WorkloadServiceAccountBuilder.holds(cached, built)).isTrue();
        assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey(CachedFields.LAST_APPLIED);
    }

    @Test
    void anMsdLosesOnlyManagedFieldsAndTheLastAppliedCopy() {
        MicroserviceDeployment served = asServed(msd());
        served.getMetadata().getAnnotations().put("blueshift.dev/promote", "true");
        MicroserviceDeployment before = copy(served);

        MicroserviceDeployment cached = CachedFields.msd(served);

        assertThat(Serialization.asJson(cached.getSpec())).isEqualTo(Serialization.asJson(before.getSpec()));
        assertThat(cached.getMetadata().getAnnotations()).isEqualTo(Map.of("blueshift.dev/promote", "true"));
        assertThat(cached.getMetadata().getManagedFields()).isNull();
    }

    @Test
    void aCompactedObjectEqualsAndSerialisesAsBeforeAndABuilderCopyOfItCanChange() {
        ReplicaSet served = asServed(RevisionReplicaSetBuilder.build(
                msd, "abc", "digest", "{}", RevisionReplicaSetBuilder.template(msd, "abc"), 2, 1, null, false));
        ReplicaSet before = copy(served);

        ReplicaSet compacted = CompactModel.compact(served);

        assertThat(compacted).isEqualTo(before);
        assertThat(Serialization.asJson(compacted)).isEqualTo(Serialization.asJson(before));
        assertThat(compacted.getSpec().getTemplate().getSpec().getVolumes()).isEmpty();
        assertThat(compacted.getMetadata().getLabels().get("blueshift.dev/revision"))
                .isSameAs(compacted.getSpec().getSelector().getMatchLabels().get("blueshift.dev/revision"));
        // what BlueGreenApplier does with a cached ReplicaSet's template: a builder copy, changed
        ReplicaSet reapplied = RevisionReplicaSetBuilder.build(
                msd, "abc", "digest", "{}", compacted.getSpec().getTemplate(), 0, 1, null, true);
        reapplied.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.Volume());
        reapplied.getSpec().getTemplate().getSpec().getContainers().get(0).setAdditionalProperty("x", "y");
        assertThat(compacted.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    }

    @Test
    void aCompactedMsdSerialisesAsBeforeAndTheCopyAReconcileGetsCanChange() {
        MicroserviceDeployment served = asServed(msd());
        served.setStatus(new dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus());
        served.getStatus().setPhase(dev.blueshift.operator.api.v1alpha1.status.Phase.Healthy);
        MicroserviceDeployment before = copy(served);
        before.getMetadata().setManagedFields(null);
        before.getMetadata().getAnnotations().remove(CachedFields.LAST_APPLIED);

        MicroserviceDeployment cached = CachedFields.of(served);

        assertThat(cached.getStatus().getConditions()).isEmpty();
        assertThat(Serialization.asJson(cached)).isEqualTo(Serialization.asJson(before));
        // the operator SDK hands the reconciler a copy made through JSON: its maps and lists are its own
        MicroserviceDeployment reconciled = copy(cached);
        reconciled.getMetadata().getAnnotations().put("blueshift.dev/promote", "true");
        reconciled.getSpec().getTemplate().getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.Volume());
        reconciled.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.Condition());
        assertThat(Serialization.asJson(cached)).isEqualTo(Serialization.asJson(before));
    }

    private static MicroserviceDeployment msd() {
        MicroserviceDeployment msd = Msds.blueGreen("shop", "cart", 2, TestImage.IMAGE);
        msd.getMetadata().setUid("msd-uid");
        return msd;
    }

    /** As the API server sends it: a round trip through JSON, a resourceVersion, managedFields, kubectl's copy. */
    private static <R extends HasMetadata> R asServed(R object) {
        R served = copy(object);
        served.getMetadata().setResourceVersion("7");
        served.getMetadata()
                .setManagedFields(List.of(new ManagedFieldsEntryBuilder()
                        .withManager("blueshift")
                        .withOperation("Apply")
                        .build()));
        if (served.getMetadata().getAnnotations() == null) {
            served.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
        }
        served.getMetadata().getAnnotations().put(CachedFields.LAST_APPLIED, "{\"kind\":\"...\"}");
        return served;
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> R copy(R object) {
        return (R) Serialization.unmarshal(Serialization.asJson(object), object.getClass());
    }
}
