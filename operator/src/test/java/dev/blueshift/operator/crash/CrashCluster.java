package dev.blueshift.operator.crash;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.aws.AwsEmulatorResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the process suites share: a namespace of their own, the label that hands its MSDs to the
 * packaged operator (and to no other: the in-process test operator of a `mvn test` run selects
 * {@code blueshift.dev/test-run=<its run id>}, the demo's and helm-check's select
 * {@code !blueshift.dev/test-run}), and the settings that operator runs with (AWS through the
 * tests' moto proxy, as {@link AwsEmulatorResource} gives the in-process one).
 */
public final class CrashCluster implements AutoCloseable {
    /**
     * The label value of this cluster's MSDs ({@link #claim} puts it on): its own, so that the
     * operators of one suite never take up the MSDs another left finalizing in a namespace being deleted.
     */
    public final String runValue;

    public final KubernetesClient client;
    public final String namespace;

    public CrashCluster(String prefix) {
        LocalControlPlane.ensure();
        client = LocalControlPlane.client();
        namespace = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        runValue = LocalControlPlane.RUN_ID + "-" + namespace;
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .addToLabels("blueshift.dev/test", "true")
                        .endMetadata()
                        .build())
                .create();
    }

    public MicroserviceDeployment claim(MicroserviceDeployment msd) {
        msd.getMetadata().getLabels().put(LocalControlPlane.RUN_LABEL, runValue);
        msd.getMetadata().setNamespace(namespace);
        msd.getMetadata().setUid(null);
        msd.getMetadata().setGeneration(null);
        return msd;
    }

    /** The packaged operator's settings: its selector, its Lease here, AWS through the proxy. */
    public Map<String, String> operatorSettings() {
        Map<String, String> settings = new HashMap<>(new AwsEmulatorResource().start());
        settings.put("blueshift.aws.max-concurrent-syncs", "4");
        settings.put("blueshift.analysis.allowed-alarm-names", "blueshift-test-allowed/*");
        settings.put(
                "quarkus.operator-sdk.controllers.blueshift.selector", LocalControlPlane.RUN_LABEL + "=" + runValue);
        settings.put("blueshift.leader-election.lease-namespace", namespace);
        return settings;
    }

    /**
     * Deletes the namespace. MSDs that still carry the finalizer (the operator is gone) lose it
     * first, so the namespace does not stay Terminating.
     */
    @Override
    public void close() {
        var msds = client.resources(MicroserviceDeployment.class).inNamespace(namespace);
        for (MicroserviceDeployment msd : msds.list().getItems()) {
            try {
                msds.withName(msd.getMetadata().getName()).edit(m -> {
                    m.getMetadata().setFinalizers(null);
                    return m;
                });
            } catch (RuntimeException e) {
                // gone meanwhile
            }
        }
        client.namespaces().withName(namespace).delete();
        client.close();
    }
}
