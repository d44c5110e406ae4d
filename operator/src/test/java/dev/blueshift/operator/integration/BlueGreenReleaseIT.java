package dev.blueshift.operator.integration;

import static dev.blueshift.operator.support.MsdFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.BlueGreen;
import dev.blueshift.operator.api.v1alpha1.spec.StrategyType;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.release.bluegreen.Commands;
import dev.blueshift.operator.support.ActiveServiceInvariant;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The BlueGreen strategy end to end on the real control plane, kwok making Pods ready. */
@ClusterTest
@KwokOnly
class BlueGreenReleaseIT {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
    }

    /** Creates a BlueGreen MSD and waits for its first release; returns the stable revision. */
    private String released(MicroserviceDeployment msd) {
        msds.create(msd);
        return msds.awaitPhase(msd.getMetadata().getName(), Phase.Healthy)
                .getStatus()
                .getStableRevision();
    }

    private void setImage(String name, String image) {
        msds.edit(name, m -> {
            Msds.setImage(m, image);
            return m;
        });
    }

    private int replicasOf(String msd, String revision) {
        ReplicaSet rs = msds.replicaSet(msd + "-" + revision);
        return rs == null ? -1 : rs.getSpec().getReplicas();
    }

    @Test
    void aNewImageIsPreviewedThenPromotedAndTheOldRevisionScalesDown() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "shop", 3, "shop:1");
        msd.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
        String r1 = released(msd);
        MicroserviceDeployment first = msds.msd("shop").get();
        assertThat(first.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(first.getStatus().getActiveSelector())
                .isEqualTo("blueshift.dev/msd=shop,blueshift.dev/revision=" + r1);
        assertThat(msds.service("shop").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);
        assertThat(msds.service("shop-preview").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);

        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "shop")) {
            setImage("shop", "shop:2");
            MicroserviceDeployment done = msds.awaitStatus(
                    "shop",
                    "r2 stable",
                    s -> s.getStableRevision() != null
                            && !s.getStableRevision().equals(r1)
                            && s.getPhase() == Phase.Healthy);
            String r2 = done.getStatus().getStableRevision();
            assertThat(done.getStatus().getActiveRevision()).isEqualTo(r2);
            assertThat(done.getStatus().getPreviewRevision()).isEqualTo(r2);
            assertThat(done.getStatus().getReadyReplicas())
                    .as("ready Pods of the active revision")
                    .isEqualTo(3);
            assertThat(msds.service("shop").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r2);
            assertThat(replicasOf("shop", r2)).isEqualTo(3);
            // The old revision stays warm for scaleDownDelaySeconds (2s), then goes to 0 but is kept for undo.
            await().atMost(TIMEOUT).until(() -> replicasOf("shop", r1) == 0);
            assertThat(invariant.eventCount()).isPositive();
            assertThat(invariant.violations()).isEmpty();
        }
        // The operator records its Events after it applies the objects: the ScaledDown Event may
        // follow the ReplicaSet at 0 by a moment.
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.v1()
                                .events()
                                .inNamespace(namespace.name())
                                .list()
                                .getItems())
                        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Promoted"))
                        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ScaledDown")));
    }

    @Test
    void everyPodCarriesItsRevisionAsALabelAndAnEnvironmentVariable() {
        String r1 = released(Msds.blueGreen(namespace.name(), "tags", 2, "tags:1"));
        assertThat(client.pods()
                        .inNamespace(namespace.name())
                        .withLabel("blueshift.dev/msd", "tags")
                        .list()
                        .getItems())
                .hasSize(2)
                .allSatisfy((Pod pod) -> {
                    assertThat(pod.getMetadata().getLabels()).containsEntry("blueshift.dev/revision", r1);
                    assertThat(pod.getSpec().getContainers().get(0).getEnv()).anySatisfy(env -> {
                        assertThat(env.getName()).isEqualTo("BLUESHIFT_REVISION");
                        assertThat(env.getValueFrom().getFieldRef().getFieldPath())
                                .isEqualTo("metadata.labels['blueshift.dev/revision']");
                    });
                });
    }

    @Test
    void withoutAutoPromotionThePreviewWaitsForThePromoteCommand() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "cart", 2, "cart:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        String r1 = released(msd);
        setImage("cart", "cart:2");
        MicroserviceDeployment paused = msds.awaitCurrentPhase("cart", Phase.Paused);
        String r2 = paused.getStatus().getCurrentRevision();
        assertThat(r2).isNotEqualTo(r1);
        assertThat(paused.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(paused.getStatus().getPreviewRevision()).isEqualTo(r2);
        assertThat(paused.getStatus().getMessage()).contains("kubectl blueshift promote");
        assertThat(msds.service("cart").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);
        assertThat(msds.service("cart-preview").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r2);

        msds.command("cart", Commands.PROMOTE);
        MicroserviceDeployment promoted = msds.awaitStatus("cart", "promoted", s -> r2.equals(s.getStableRevision()));
        assertThat(promoted.getStatus().getActiveRevision()).isEqualTo(r2);
        await().atMost(TIMEOUT)
                .until(() ->
                        !msds.msd("cart").get().getMetadata().getAnnotations().containsKey(Commands.PROMOTE));
    }

    @Test
    void aPreviewReplicaSetScaledUpByHandIsScaledBackAndNeverPromotedWithoutTheCommand() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "basket", 2, "basket:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msd.getSpec().getStrategy().getBlueGreen().setPreviewReplicaCount(1);
        String r1 = released(msd);
        setImage("basket", "basket:2");
        String r2 = msds.awaitCurrentPhase("basket", Phase.Paused).getStatus().getCurrentRevision();

        // What an autoscaler or a hurried operator would do to the preview: it must not count as a promotion.
        client.apps()
                .replicaSets()
                .inNamespace(namespace.name())
                .withName("basket-" + r2)
                .scale(2);
        await().atMost(TIMEOUT).until(() -> replicasOf("basket", r2) == 1);
        MicroserviceDeployment paused = msds.awaitCurrentPhase("basket", Phase.Paused);
        assertThat(paused.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(paused.getStatus().getPromotingRevision()).isNull();
        assertThat(msds.service("basket").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);

        msds.command("basket", Commands.PROMOTE);
        MicroserviceDeployment promoted = msds.awaitStatus("basket", "promoted", s -> r2.equals(s.getStableRevision()));
        assertThat(promoted.getStatus().getActiveRevision()).isEqualTo(r2);
        assertThat(promoted.getStatus().getPromotingRevision()).isNull();
    }

    @Test
    void autoPromotionAfterSecondsPausesThenPromotesByItself() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "search", 1, "search:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setAfterSeconds(3);
        String r1 = released(msd);
        setImage("search", "search:2");
        MicroserviceDeployment paused = msds.awaitCurrentPhase("search", Phase.Paused);
        assertThat(MsdFixture.condition(paused, "Progressing").getReason()).isEqualTo("AutoPromotionScheduled");
        assertThat(paused.getStatus().getActiveRevision()).isEqualTo(r1);
        assertThat(paused.getStatus().getPreviewReadyAt()).isNotBlank();
        MicroserviceDeployment promoted = msds.awaitStatus(
                "search",
                "promoted by itself",
                s -> s.getPhase() == Phase.Healthy && !r1.equals(s.getStableRevision()));
        assertThat(promoted.getStatus().getActiveRevision())
                .isEqualTo(promoted.getStatus().getCurrentRevision());
    }

    @Test
    void abortKeepsTheActiveServiceOnStableAndRetryResumesTheRelease() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "pay", 2, "pay:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        String r1 = released(msd);
        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "pay")) {
            setImage("pay", "pay:2");
            String r2 = msds.awaitCurrentPhase("pay", Phase.Paused).getStatus().getCurrentRevision();

            msds.command("pay", Commands.ABORT);
            MicroserviceDeployment aborted = msds.awaitPhase("pay", Phase.Aborted);
            assertThat(aborted.getStatus().getAbortedRevision()).isEqualTo(r2);
            assertThat(aborted.getStatus().getAbortReason()).isEqualTo("aborted by the user");
            assertThat(aborted.getStatus().getActiveRevision()).isEqualTo(r1);
            assertThat(aborted.getStatus().getStableRevision()).isEqualTo(r1);
            assertThat(msds.service("pay").getSpec().getSelector()).containsEntry("blueshift.dev/revision", r1);
            await().atMost(TIMEOUT).until(() -> replicasOf("pay", r2) == 0);

            msds.command("pay", Commands.RETRY);
            MicroserviceDeployment retried = msds.awaitPhase("pay", Phase.Paused);
            assertThat(retried.getStatus().getAbortedRevision()).isNull();
            assertThat(replicasOf("pay", r2)).isEqualTo(2);
            msds.command("pay", Commands.PROMOTE);
            msds.awaitStatus("pay", "promoted after retry", s -> r2.equals(s.getStableRevision()));
            assertThat(invariant.violations()).isEmpty();
        }
    }

    /**
     * A retry given while the operator is still writing the status of an abort (the aborted
     * ReplicaSet scaling down, no delay) is acted on every time: never left on the MSD, never dropped.
     */
    @Test
    void aRetryRightAfterAnAbortIsNeverLost() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "quick", 2, "quick:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msd.getSpec().getStrategy().getBlueGreen().setAbortScaleDownDelaySeconds(0);
        released(msd);
        setImage("quick", "quick:2");
        String r2 = msds.awaitCurrentPhase("quick", Phase.Paused).getStatus().getCurrentRevision();
        for (int round = 1; round <= 6; round++) {
            msds.command("quick", Commands.ABORT);
            msds.awaitStatus("quick", "aborted, round " + round, s -> r2.equals(s.getAbortedRevision()));
            msds.command("quick", Commands.RETRY);
            MicroserviceDeployment retried = msds.awaitStatus(
                    "quick",
                    "retried and paused, round " + round,
                    s -> s.getPhase() == Phase.Paused && s.getAbortedRevision() == null);
            assertThat(retried.getStatus().getCurrentRevision()).isEqualTo(r2);
            await("commands removed, round " + round).atMost(TIMEOUT).until(() -> {
                Map<String, String> annotations =
                        msds.msd("quick").get().getMetadata().getAnnotations();
                return !annotations.containsKey(Commands.ABORT) && !annotations.containsKey(Commands.RETRY);
            });
        }
    }

    @Test
    void reapplyingTheOldTemplateWhileItsReplicaSetIsWarmSwitchesBackAtOnce() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "web", 2, "web:1");
        msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(600);
        String r1 = released(msd);
        String r1Uid = msds.replicaSet("web-" + r1).getMetadata().getUid();
        setImage("web", "web:2");
        String r2 = msds.awaitStatus(
                        "web", "r2 stable", s -> s.getStableRevision() != null && !r1.equals(s.getStableRevision()))
                .getStatus()
                .getStableRevision();

        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "web")) {
            // Even with manual promotion, a rollback to a warm, once-released revision does not pause.
            msds.edit("web", m -> {
                m.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
                Msds.setImage(m, "web:1");
                return m;
            });
            MicroserviceDeployment back = msds.awaitStatus("web", "back on r1", s -> r1.equals(s.getStableRevision()));
            assertThat(back.getStatus().getActiveRevision()).isEqualTo(r1);
            assertThat(msds.replicaSet("web-" + r1).getMetadata().getUid())
                    .as("the same, warm ReplicaSet")
                    .isEqualTo(r1Uid);
            assertThat(msds.replicaSet("web-" + r1).getSpec().getReplicas()).isEqualTo(2);
            assertThat(replicasOf("web", r2)).as("r2 is now the warm one").isEqualTo(2);
            assertThat(invariant.violations()).isEmpty();
        }
        // The decision's Event follows the status that records it.
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.v1()
                                .events()
                                .inNamespace(namespace.name())
                                .list()
                                .getItems())
                        .anySatisfy(e -> assertThat(e.getMessage()).contains("fast rollback")));
    }

    @Test
    void aRevisionWhosePodsCannotBeScheduledIsDegradedAtTheProgressDeadlineWhileTheStableOneServes() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "stall", 2, "stall:1");
        msd.getSpec().setProgressDeadlineSeconds(3);
        String r1 = released(msd);
        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "stall")) {
            // No node has this label: the new revision's Pods stay Pending, never ready.
            msds.edit("stall", m -> {
                m.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("blueshift.dev/test-no-such-node", "true"));
                return m;
            });
            MicroserviceDeployment degraded = msds.awaitPhase("stall", Phase.Degraded);
            String r2 = degraded.getStatus().getCurrentRevision();
            assertThat(r2).isNotEqualTo(r1);
            assertThat(degraded.getStatus().getMessage())
                    .contains(
                            "0 of 2 Pods of revision " + r2 + " ready",
                            "No Pod of revision " + r2 + " became ready for 3 s",
                            "still waiting");
            assertThat(degraded.getStatus().getLastProgress().getRevision()).isEqualTo(r2);
            assertThat(degraded.getStatus().getLastProgress().getReadyReplicas())
                    .isZero();
            assertThat(degraded.getStatus().getActiveRevision()).isEqualTo(r1);
            assertThat(degraded.getStatus().getReadyReplicas())
                    .as("the stable revision serves")
                    .isEqualTo(2);
            assertThat(MsdFixture.condition(degraded, "Progressing").getReason())
                    .isEqualTo("ProgressDeadlineExceeded");
            assertThat(client.v1().events().inNamespace(namespace.name()).list().getItems())
                    .anySatisfy(
                            e -> assertThat(e.getType() + " " + e.getReason()).isEqualTo("Warning PhaseDegraded"));
            assertThat(KubectlPlugin.run(namespace.name(), "status", "stall"))
                    .contains("stall: Degraded", "waiting for Pods of " + r2 + ": 0 ready since");

            // Back to the template that works: it is the stable revision, so the release is over.
            msds.edit("stall", m -> {
                m.getSpec().getTemplate().getSpec().setNodeSelector(null);
                return m;
            });
            MicroserviceDeployment healthy = msds.awaitPhase("stall", Phase.Healthy);
            assertThat(healthy.getStatus().getStableRevision()).isEqualTo(r1);
            assertThat(healthy.getStatus().getLastProgress()).isNull();
            assertThat(invariant.violations()).isEmpty();
        }
    }

    @Test
    void aChangedConfigMapMakesANewRevisionAndScalingDoesNot() {
        client.configMaps()
                .inNamespace(namespace.name())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .endMetadata()
                        .addToData("mode", "fast")
                        .build())
                .create();
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "conf", 1, "conf:1");
        msd.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnvFrom()
                .add(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                        .withNewConfigMapRef("settings", false)
                        .build());
        String r1 = released(msd);

        msds.edit("conf", m -> {
            m.getSpec().setReplicas(3);
            return m;
        });
        MicroserviceDeployment scaled = msds.awaitStatus(
                "conf",
                "3 ready",
                s -> Integer.valueOf(3).equals(s.getReadyReplicas()) && s.getPhase() == Phase.Healthy);
        assertThat(scaled.getStatus().getCurrentRevision()).isEqualTo(r1);
        assertThat(msds.replicaSets()).hasSize(1);

        client.configMaps().inNamespace(namespace.name()).withName("settings").edit(cm -> {
            cm.getData().put("mode", "safe");
            return cm;
        });
        MicroserviceDeployment rereleased = msds.awaitStatus(
                "conf",
                "new revision from the ConfigMap",
                s -> s.getStableRevision() != null
                        && !r1.equals(s.getStableRevision())
                        && s.getPhase() == Phase.Healthy);
        assertThat(rereleased.getStatus().getActiveRevision())
                .isEqualTo(rereleased.getStatus().getStableRevision());
    }

    @Test
    void revisionHistoryLimitPrunesTheOldestScaledDownReplicaSets() {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "hist", 1, "hist:1");
        msd.getSpec().setRevisionHistoryLimit(1);
        msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(0);
        String r1 = released(msd);
        String previous = r1;
        for (String image : new String[] {"hist:2", "hist:3"}) {
            String before = previous;
            setImage("hist", image);
            previous = msds.awaitStatus(
                            "hist",
                            "released " + image,
                            s -> s.getStableRevision() != null
                                    && !before.equals(s.getStableRevision())
                                    && s.getPhase() == Phase.Healthy)
                    .getStatus()
                    .getStableRevision();
        }
        String r3 = previous;
        // r3 serves, one scaled-down revision (r2) is kept, r1 is pruned.
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(msds.replicaSets()).hasSize(2));
        assertThat(msds.replicaSet("hist-" + r1)).isNull();
        assertThat(msds.replicaSet("hist-" + r3).getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void switchingBetweenRollingAndBlueGreenNeverLeavesTheServiceWithoutAReadyPod() {
        msds.create(Msds.rolling(namespace.name(), "flip", 2, "flip:1"));
        msds.awaitPhase("flip", Phase.Healthy);
        try (ActiveServiceInvariant invariant = new ActiveServiceInvariant(client, namespace.name(), "flip")) {
            msds.edit("flip", m -> {
                m.getSpec().getStrategy().setType(StrategyType.BlueGreen);
                m.getSpec().getStrategy().setBlueGreen(new BlueGreen());
                m.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(3);
                return m;
            });
            MicroserviceDeployment blueGreen = msds.awaitStatus(
                    "flip", "BlueGreen stable", s -> s.getStableRevision() != null && s.getPhase() == Phase.Healthy);
            // The Deployment the active Service left stays for scaleDownDelaySeconds (its Pods may still
            // be sent requests until kube-proxy has the switch), then goes.
            assertThat(msds.deployment("flip"))
                    .as("the Deployment, right after the switch")
                    .isNotNull();
            await().atMost(TIMEOUT).until(() -> msds.deployment("flip") == null);
            assertThat(msds.service("flip").getSpec().getSelector())
                    .containsEntry(
                            "blueshift.dev/revision", blueGreen.getStatus().getStableRevision());

            msds.edit("flip", m -> {
                m.getSpec().getStrategy().setType(StrategyType.Rolling);
                m.getSpec().getStrategy().setBlueGreen(null);
                return m;
            });
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(msds.service("flip").getSpec().getSelector())
                        .containsExactlyEntriesOf(Map.of("blueshift.dev/msd", "flip"));
                assertThat(msds.service("flip-preview")).isNull();
                assertThat(msds.replicaSets())
                        .allSatisfy(rs -> assertThat(rs.getMetadata()
                                        .getOwnerReferences()
                                        .get(0)
                                        .getKind())
                                .isEqualTo("Deployment"));
            });
            msds.awaitCurrentPhase("flip", Phase.Healthy);
            assertThat(invariant.eventCount()).isPositive();
            assertThat(invariant.violations()).isEmpty();
        }
    }
}
