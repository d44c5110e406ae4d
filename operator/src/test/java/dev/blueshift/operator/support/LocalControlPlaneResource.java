package dev.blueshift.operator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts (or finds) the control plane before Quarkus starts the operator under test. */
public class LocalControlPlaneResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        LocalControlPlane.ensure();
        return Map.of(
                "quarkus.operator-sdk.controllers.blueshift.selector",
                LocalControlPlane.RUN_LABEL + "=" + LocalControlPlane.RUN_ID);
    }

    @Override
    public void stop() {
        // The cluster outlives the test run on purpose: the next run starts in seconds.
    }
}
