package dev.blueshift.operator.support;

import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.status.MicroserviceDeploymentStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** MSDs and what they own, in one test namespace: create, edit, read and wait. */
public final class MsdFixture {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final String namespace;
    private final Duration timeout;

    public MsdFixture(KubernetesClient client, String namespace) {
        this(client, namespace, TIMEOUT);
    }

    /** @param timeout how long a wait for a status lasts: longer for Pods that really start (the real node) */
    public MsdFixture(KubernetesClient client, String namespace, Duration timeout) {
        this.client = client;
        this.namespace = namespace;
        this.timeout = timeout;
    }

    public MicroserviceDeployment create(MicroserviceDeployment msd) {
        msd.getMetadata().setNamespace(namespace);
        msd.getMetadata().setUid(null);
        msd.getMetadata().setGeneration(null);
        return client.resource(LocalControlPlane.claim(msd)).create();
    }

    public Resource<MicroserviceDeployment> msd(String name) {
        return client.resources(MicroserviceDeployment.class)
                .inNamespace(namespace)
                .withName(name);
    }

    /**
     * Edits the MSD as a user would. The operator writes status meanwhile, which changes the
     * resourceVersion the edit is checked against: on a conflict, read again and redo the edit.
     */
    public MicroserviceDeployment edit(String name, UnaryOperator<MicroserviceDeployment> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return msd(name).edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Gives a one-shot command (promote, abort, retry) as the kubectl plugin does (`kubectl annotate
     * --overwrite`): a merge patch of one annotation, its value a fresh stamp, read-free, so it
     * neither conflicts with nor depends on the operator's own edits.
     */
    public void command(String name, String annotation) {
        String stamp = java.time.Instant.now() + "-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
        msd(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"" + stamp + "\"}}}");
    }

    /** Sets the image of the MSD's first container, as `kubectl blueshift set image` does: a new release. */
    public MicroserviceDeployment setImage(String name, String image) {
        return edit(name, m -> {
            Msds.setImage(m, image);
            return m;
        });
    }

    /** The image of the first container of the Rolling Deployment's template. */
    public String deploymentImage(String name) {
        return deployment(name)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    public Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    public Service service(String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    public ReplicaSet replicaSet(String name) {
        return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
    }

    public List<ReplicaSet> replicaSets() {
        return client.apps().replicaSets().inNamespace(namespace).list().getItems();
    }

    public MicroserviceDeployment awaitStatus(
            String name, String what, Predicate<MicroserviceDeploymentStatus> condition) {
        return await(what)
                .atMost(timeout)
                .until(() -> msd(name).get(), m -> m.getStatus() != null && condition.test(m.getStatus()));
    }

    public MicroserviceDeployment awaitPhase(String name, Phase phase) {
        return awaitStatus(name, "phase " + phase, s -> s.getPhase() == phase);
    }

    /** Waits for a phase reached for the current generation (not a leftover of the previous spec). */
    public MicroserviceDeployment awaitCurrentPhase(String name, Phase phase) {
        long generation = msd(name).get().getMetadata().getGeneration();
        return awaitStatus(
                name,
                "phase " + phase + " at generation " + generation,
                s -> s.getPhase() == phase && Long.valueOf(generation).equals(s.getObservedGeneration()));
    }

    public static Condition condition(MicroserviceDeployment msd, String type) {
        return msd.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no " + type + " condition in " + msd.getStatus().getConditions()));
    }
}
