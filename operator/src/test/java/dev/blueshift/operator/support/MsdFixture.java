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
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** MSDs and what they own, in one test namespace: create, edit, read and wait. */
public final class MsdFixture {
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String namespace;

  public MsdFixture(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public MicroserviceDeployment create(MicroserviceDeployment msd) {
    msd.getMetadata().setNamespace(namespace);
    msd.getMetadata().setUid(null);
    msd.getMetadata().setGeneration(null);
    return client.resource(LocalControlPlane.claim(msd)).create();
  }

  public Resource<MicroserviceDeployment> msd(String name) {
    return client.resources(MicroserviceDeployment.class).inNamespace(namespace).withName(name);
  }

  /**
   * Edits the MSD. The operator writes its status meanwhile, which changes the resourceVersion: an
   * edit that loses that optimistic-lock race (409) is made again on the fresh object.
   */
  public MicroserviceDeployment edit(String name, UnaryOperator<MicroserviceDeployment> change) {
    return await("edit " + name).atMost(TIMEOUT)
        .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(() -> msd(name).edit(change), java.util.Objects::nonNull);
  }

  /** Gives a one-shot command (promote, abort, retry) as the kubectl plugin does: an annotation. */
  public void command(String name, String annotation) {
    edit(name, m -> {
      m.getMetadata().getAnnotations().put(annotation, "true");
      return m;
    });
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

  public MicroserviceDeployment awaitStatus(String name, String what, Predicate<MicroserviceDeploymentStatus> condition) {
    return await(what).atMost(TIMEOUT).until(() -> msd(name).get(), m -> m.getStatus() != null && condition.test(m.getStatus()));
  }

  public MicroserviceDeployment awaitPhase(String name, Phase phase) {
    return awaitStatus(name, "phase " + phase, s -> s.getPhase() == phase);
  }

  /** Waits for a phase reached for the current generation (not a leftover of the previous spec). */
  public MicroserviceDeployment awaitCurrentPhase(String name, Phase phase) {
    long generation = msd(name).get().getMetadata().getGeneration();
    return awaitStatus(name, "phase " + phase + " at generation " + generation,
        s -> s.getPhase() == phase && Long.valueOf(generation).equals(s.getObservedGeneration()));
  }

  public static Condition condition(MicroserviceDeployment msd, String type) {
    return msd.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition in " + msd.getStatus().getConditions()));
  }
}
