package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An MSD without AWS resources carries no finalizer of the operator's: it is deleted at once, with
 * no operator to look after it (the operator uninstalled, or stopped), and its namespace with it.
 * (An MSD with AWS resources keeps one until they are gone: AwsIdentityIT, AwsFaultsIT.)
 */
@ClusterTest
@KwokOnly
class FinalizerIT {
    /** The operator's finalizer; JOSDK put it on every MSD before, under this name. */
    private static final String FINALIZER = "microservicedeployments.blueshift.dev/finalizer";
    /** Someone else's. */
    private static final String FOREIGN = "example.com/keep";

    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    private MsdFixture msds;

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
    }

    @Test
    void anMsdWithoutAwsGetsNoFinalizerAndIsDeletedWithNoOperatorLookingAfterIt() {
        msds.create(Msds.blueGreen(namespace.name(), "shop", 2, "shop:1"));
        MicroserviceDeployment healthy = msds.awaitPhase("shop", Phase.Healthy);
        assertThat(healthy.getMetadata().getFinalizers()).isEmpty();

        // As if the operator were gone: the one under test reconciles only MSDs with this run's label.
        msds.edit("shop", LocalControlPlane::unmanaged);
        msds.msd("shop").delete();

        await().atMost(MsdFixture.TIMEOUT).until(() -> msds.msd("shop").get() == null);
        await().atMost(MsdFixture.TIMEOUT).until(() -> msds.replicaSets().isEmpty());
        assertThat(msds.service("shop")).isNull();
    }

    @Test
    void anMsdAnEarlierOperatorGaveItsFinalizerLosesItWhenItOwnsNothingInAwsAndKeepsSomeoneElses() {
        MicroserviceDeployment msd = Msds.rolling(namespace.name(), "cart", 1, "cart:1");
        msd.getMetadata().setFinalizers(List.of(FOREIGN, FINALIZER));
        msds.create(msd);
        try {
            MicroserviceDeployment reconciled = await().atMost(MsdFixture.TIMEOUT)
                    .until(
                            () -> msds.msd("cart").get(),
                            m -> !m.getMetadata().getFinalizers().contains(FINALIZER));
            assertThat(reconciled.getMetadata().getFinalizers()).containsExactly(FOREIGN);

            msds.msd("cart").delete();
            MicroserviceDeployment deleting = msds.msd("cart").get();
            assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(deleting.getMetadata().getFinalizers()).containsExactly(FOREIGN);
        } finally {
            msds.msd("cart").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
        }
        await().atMost(MsdFixture.TIMEOUT).until(() -> msds.msd("cart").get() == null);
    }
}
