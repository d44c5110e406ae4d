package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `kubectl blueshift` against the real control plane: each verb does what it says. */
@ClusterTest
@KwokOnly
class KubectlPluginIT {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
    }

    private String plugin(String... args) {
        return KubectlPlugin.run(namespace.name(), args);
    }

    /** The plugin with -n and --kubeconfig after the verb and its arguments, as users type them. */
    private KubectlPlugin.Result pluginFlagsAfter(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-n", namespace.name(), "--kubeconfig", KubectlPlugin.kubeconfig()));
        return KubectlPlugin.exec(command.toArray(String[]::new));
    }

    private String succeeds(KubectlPlugin.Result result) {
        assertThat(result.exitCode())
                .as("exit code; printed: %s", result.output())
                .isZero();
        return result.output();
    }

    private String image(ReplicaSet rs) {
        return rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** The line of `get`'s tree that names {@code name}. */
    private static String line(String tree, String name) {
        return tree.lines()
                .filter(l -> l.contains(" " + name + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + " in:\n" + tree));
    }

    @Test
    void promoteStatusAndUndo() throws Exception {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "shop", 2, "shop:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(600);
        msds.create(msd);
        String r1 = msds.awaitPhase("shop", Phase.Healthy).getStatus().getStableRevision();
        msds.edit("shop", m -> {
            Msds.setImage(m, "shop:2");
            return m;
        });
        String r2 = msds.awaitCurrentPhase("shop", Phase.Paused).getStatus().getCurrentRevision();

        assertThat(plugin("status", "shop"))
                .contains("shop: Paused", "active=" + r1, "preview=" + r2, "kubectl blueshift promote");

        assertThat(plugin("promote", "shop")).contains("promote requested");
        msds.awaitStatus("shop", "r2 stable", s -> r2.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);

        assertThat(plugin("undo", "shop")).contains("rolled back to the template of revision " + r1);
        MicroserviceDeployment back = msds.awaitStatus(
                "shop", "back on r1", s -> r1.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);
        assertThat(back.getStatus().getCurrentRevision())
                .as("the undone template hashes to the same revision")
                .isEqualTo(r1);
        assertThat(back.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("shop:1");

        assertThat(plugin("undo", "shop", "--to-revision", r2)).contains(r2);
        msds.awaitStatus("shop", "back on r2", s -> r2.equals(s.getStableRevision()));
    }

    @Test
    void abortAndRetry() throws Exception {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "cart", 1, "cart:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msds.create(msd);
        msds.awaitPhase("cart", Phase.Healthy);
        msds.edit("cart", m -> {
            Msds.setImage(m, "cart:2");
            return m;
        });
        msds.awaitCurrentPhase("cart", Phase.Paused);

        plugin("abort", "cart");
        assertThat(msds.awaitPhase("cart", Phase.Aborted).getStatus().getAbortReason())
                .isEqualTo("aborted by the user");
        plugin("retry", "cart");
        msds.awaitPhase("cart", Phase.Paused);
    }

    @Test
    void flagsAfterTheVerbStatusTimeoutSetImageGetListAndRestart() throws Exception {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "shop", 2, "shop:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(600);
        msds.create(msd);

        KubectlPlugin.Result released = pluginFlagsAfter("status", "shop", "--timeout", "60s");
        assertThat(released.exitCode())
                .as("released; printed: %s", released.output())
                .isZero();
        String r1 = msds.msd("shop").get().getStatus().getStableRevision();
        assertThat(released.output()).contains("shop: released: revision " + r1 + " is stable and Healthy, 2/2 ready");

        assertThat(succeeds(pluginFlagsAfter("set", "image", "shop", "app=shop:2")))
                .contains("image updated: app=shop:2");
        MicroserviceDeployment paused = msds.awaitCurrentPhase("shop", Phase.Paused);
        String r2 = paused.getStatus().getCurrentRevision();
        assertThat(r2).as("a new revision").isNotEqualTo(r1);
        assertThat(image(msds.replicaSet("shop-" + r2))).isEqualTo("shop:2");
        assertThat(paused.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("shop:2");

        KubectlPlugin.Result waiting = pluginFlagsAfter("status", "shop", "--timeout", "2s", "--interval", "500ms");
        assertThat(waiting.exitCode())
                .as("timed out; printed: %s", waiting.output())
                .isEqualTo(4);
        assertThat(waiting.output()).contains("shop: Paused", "error: timed out after 2s: shop: Paused");
        KubectlPlugin.Result watching =
                pluginFlagsAfter("status", "shop", "--watch", "--timeout", "2s", "--interval", "500ms");
        assertThat(watching.exitCode())
                .as("--watch ends at the timeout; printed: %s", watching.output())
                .isEqualTo(4);
        assertThat(watching.output()).contains("shop: Paused  active=" + r1 + " preview=" + r2, "timed out after 2s");

        String tree = succeeds(pluginFlagsAfter("get", "shop"));
        assertThat(tree)
                .contains(
                        "Phase:       Paused",
                        "Revisions:   current=" + r2 + " stable=" + r1 + " active=" + r1 + " preview=" + r2);
        assertThat(line(tree, "shop-" + r1)).contains("ReplicaSet", "Healthy", "stable, active, ready 2/2, shop:1");
        assertThat(line(tree, "shop-" + r2)).contains("ReplicaSet", "preview, ready ", "shop:2");
        assertThat(tree.indexOf("shop-" + r2)).as("newest revision first").isLessThan(tree.indexOf("shop-" + r1));
        assertThat(tree.lines()
                        .filter(l -> l.contains("shop-" + r1 + "-") && l.contains(" Pod "))
                        .count())
                .as("the stable revision's Pods under its ReplicaSet")
                .isEqualTo(2);

        assertThat(succeeds(pluginFlagsAfter("list")))
                .containsPattern("shop\\s+BlueGreen\\s+Paused\\s+" + r2 + "\\s+" + r1);
        String everywhere = succeeds(KubectlPlugin.exec("list", "-A", "--kubeconfig", KubectlPlugin.kubeconfig()));
        assertThat(everywhere).containsPattern(namespace.name() + "\\s+shop\\s+BlueGreen\\s+Paused");

        KubectlPlugin.Result completion = KubectlPlugin.complete(
                "--kubeconfig", KubectlPlugin.kubeconfig(), "promote", "-n", namespace.name(), "sh");
        assertThat(completion.output().lines().toList()).containsExactly("shop", ":4");

        succeeds(pluginFlagsAfter("promote", "shop"));
        assertThat(succeeds(pluginFlagsAfter("status", "shop", "--timeout", "60s")))
                .contains("revision " + r2 + " is stable");

        assertThat(succeeds(pluginFlagsAfter("restart", "shop"))).contains("restarted (blueshift.dev/restartedAt=");
        MicroserviceDeployment restarted = msds.awaitCurrentPhase("shop", Phase.Paused);
        String r3 = restarted.getStatus().getCurrentRevision();
        assertThat(r3).as("a new revision").isNotIn(r1, r2);
        assertThat(image(msds.replicaSet("shop-" + r3)))
                .as("with the same image")
                .isEqualTo("shop:2");
        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("blueshift.dev/restartedAt");
    }

    @Test
    void statusTimeoutEndsWithTheReasonAsSoonAsTheReleaseIsAborted() throws Exception {
        MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "cart", 1, "cart:1");
        msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
        msds.create(msd);
        msds.awaitPhase("cart", Phase.Healthy);
        msds.edit("cart", m -> {
            Msds.setImage(m, "cart:2");
            return m;
        });
        msds.awaitCurrentPhase("cart", Phase.Paused);

        CompletableFuture<KubectlPlugin.Result> waiting = CompletableFuture.supplyAsync(
                () -> pluginFlagsAfter("status", "cart", "--timeout", "120s", "--interval", "500ms"));
        Thread.sleep(1500);
        assertThat(waiting).as("still waiting while Paused").isNotDone();
        plugin("abort", "cart");
        KubectlPlugin.Result ended = waiting.get(30, TimeUnit.SECONDS);
        assertThat(ended.exitCode()).as("printed: %s", ended.output()).isEqualTo(3);
        assertThat(ended.output()).contains("error: cart: Aborted: aborted by the user");
    }

    @Test
    void versionPrintsThePluginsVersionAndWhatItFindsOfTheOperator() {
        String out = succeeds(pluginFlagsAfter("version"));
        assertThat(out).startsWith("kubectl-blueshift: v0.1.0\n").contains("operator: ");
    }

    @Test
    void aFlagTheVerbDoesNotTakeIsAUsageError() {
        KubectlPlugin.Result result = pluginFlagsAfter("promote", "shop", "-A");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("unrecognized arguments: -A");
    }
}
