package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `kubectl blueshift` against the real control plane: each verb does what it says. */
@ClusterTest
class KubectlPluginIT {
  private static final KubernetesClient client = LocalControlPlane.sharedClient();

  @RegisterExtension final TestNamespace namespace = new TestNamespace();
  private MsdFixture msds;

  @BeforeEach
  void fixture() {
    msds = new MsdFixture(client, namespace.name());
  }

  private String plugin(String... args) {
    return KubectlPlugin.run(namespace.name(), args);
  }

  @Test
  void promoteStatusAndUndo() throws Exception {
    MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "shop", 2, "shop:1");
    msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
    msd.getSpec().getStrategy().getBlueGreen().setScaleDownDelaySeconds(600);
    msds.create(msd);
    String r1 = msds.awaitPhase("shop", Phase.Healthy).getStatus().getStableRevision();
    msds.edit("shop", m -> { Msds.setImage(m, "shop:2"); return m; });
    String r2 = msds.awaitCurrentPhase("shop", Phase.Paused).getStatus().getCurrentRevision();

    assertThat(plugin("status", "shop")).contains("shop: Paused", "active=" + r1, "preview=" + r2, "kubectl blueshift promote");

    assertThat(plugin("promote", "shop")).contains("promote requested");
    msds.awaitStatus("shop", "r2 stable", s -> r2.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);

    assertThat(plugin("undo", "shop")).contains("rolled back to the template of revision " + r1);
    MicroserviceDeployment back = msds.awaitStatus("shop", "back on r1", s -> r1.equals(s.getStableRevision()) && s.getPhase() == Phase.Healthy);
    assertThat(back.getStatus().getCurrentRevision()).as("the undone template hashes to the same revision").isEqualTo(r1);
    assertThat(back.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop:1");

    assertThat(plugin("undo", "shop", "--to-revision", r2)).contains(r2);
    msds.awaitStatus("shop", "back on r2", s -> r2.equals(s.getStableRevision()));
  }

  @Test
  void abortAndRetry() throws Exception {
    MicroserviceDeployment msd = Msds.blueGreen(namespace.name(), "cart", 1, "cart:1");
    msd.getSpec().getStrategy().getBlueGreen().getAutoPromotion().setEnabled(false);
    msds.create(msd);
    msds.awaitPhase("cart", Phase.Healthy);
    msds.edit("cart", m -> { Msds.setImage(m, "cart:2"); return m; });
    msds.awaitCurrentPhase("cart", Phase.Paused);

    plugin("abort", "cart");
    assertThat(msds.awaitPhase("cart", Phase.Aborted).getStatus().getAbortReason()).isEqualTo("aborted by the user");
    plugin("retry", "cart");
    msds.awaitPhase("cart", Phase.Paused);
  }
}
