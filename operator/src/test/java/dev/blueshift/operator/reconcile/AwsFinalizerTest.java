package dev.blueshift.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import io.javaoperatorsdk.operator.ReconcilerUtilsInternal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our finalizer goes on an MSD that may own AWS resources, and comes off one that does not; nobody else's is touched. */
class AwsFinalizerTest {
    private static final String FOREIGN = "example.com/keep";

    @Test
    void theNameIsTheOneJosdkPutOnEveryMsdSoExistingMsdsKeepTheirCleanup() {
        assertThat(AwsFinalizer.NAME)
                .isEqualTo("microservicedeployments.blueshift.dev/finalizer")
                .isEqualTo(ReconcilerUtilsInternal.getDefaultFinalizerName(MicroserviceDeployment.class));
    }

    @Test
    void anMsdThatMayOwnAwsResourcesGetsTheFinalizerOnce() {
        assertThat(AwsFinalizer.change(null, true)).isEqualTo(AwsFinalizer.Change.ADD);
        assertThat(AwsFinalizer.change(List.of(FOREIGN), true)).isEqualTo(AwsFinalizer.Change.ADD);
        assertThat(AwsFinalizer.change(List.of(FOREIGN, AwsFinalizer.NAME), true))
                .isEqualTo(AwsFinalizer.Change.NONE);
    }

    @Test
    void anMsdWithoutAwsResourcesLosesOurFinalizerAndKeepsEveryOther() {
        assertThat(AwsFinalizer.change(List.of(AwsFinalizer.NAME), false)).isEqualTo(AwsFinalizer.Change.REMOVE);
        assertThat(AwsFinalizer.change(List.of(FOREIGN), false)).isEqualTo(AwsFinalizer.Change.NONE);
        assertThat(AwsFinalizer.change(List.of(), false)).isEqualTo(AwsFinalizer.Change.NONE);
        assertThat(AwsFinalizer.change(null, false)).isEqualTo(AwsFinalizer.Change.NONE);
    }
}
