package dev.blueshift.operator.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API server the tests run against. With KUBECONFIG set, that cluster; otherwise
 * the local control plane, started by `hack/cluster.sh up` when it is not running. Installs the
 * CRD from crds/ before any test runs.
 */
public final class LocalControlPlane {
    /**
     * The operator under test reconciles only MSDs carrying this label with this run's value, so
     * that test runs sharing a cluster (or a cluster with a real Blueshift installed) never act on
     * each other's objects.
     */
    public static final String RUN_LABEL = "blueshift.dev/test-run";

    public static final String RUN_ID = java.util.UUID.randomUUID().toString().substring(0, 8);

    private static Path kubeconfig;
    private static KubernetesClient shared;

    private LocalControlPlane() {}

    /** Makes sure a cluster is reachable and our CRD is installed; returns its kubeconfig. */
    public static synchronized Path ensure() {
        if (kubeconfig == null) {
            Path path = resolveKubeconfig();
            // fabric8's Config.autoConfigure, used by Quarkus and by our clients, reads this property.
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, path.toString());
            try (KubernetesClient client = client()) {
                installCrd(client);
            }
            kubeconfig = path;
        }
        return kubeconfig;
    }

    /** Marks {@code resource} as this run's, for the operator under test to see it. */
    public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T claim(T resource) {
        resource.getMetadata().getLabels().put(RUN_LABEL, RUN_ID);
        return resource;
    }

    /**
     * Marks {@code resource} as a test's that no operator may reconcile: not the one under test
     * (whose selector wants this run's id), nor one installed beside the tests (the demo's,
     * helm-check's: they leave every object with the run label alone). A test of the API server
     * alone needs this: an operator that took up its MSD would write to it, and after the test
     * reconcile it in a namespace being deleted.
     */
    public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T unmanaged(T resource) {
        resource.getMetadata().getLabels().put(RUN_LABEL, RUN_ID + "-unmanaged");
        return resource;
    }

    /**
     * One client for all test classes, made once the cluster is there. It lives as long as the
     * test JVM (its threads are daemons), so test classes neither make nor close their own.
     */
    public static synchronized KubernetesClient sharedClient() {
        if (shared == null) {
            ensure();
            shared = client();
        }
        return shared;
    }

    public static KubernetesClient client() {
        return new KubernetesClientBuilder()
                .withConfig(Config.autoConfigure(null))
                .build();
    }

    private static Path resolveKubeconfig() {
        String external = System.getenv("KUBECONFIG");
        if (external != null && !external.isBlank()) {
            return Path.of(external.split(java.io.File.pathSeparator)[0]);
        }
        Path root = RepoPaths.root();
        run(root, "bash", "hack/cluster.sh", "up");
        return Path.of(run(root, "bash", "hack/cluster.sh", "kubeconfig").trim());
    }

    private static void installCrd(KubernetesClient client) {
        try (var in = Files.newInputStream(RepoPaths.crd())) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.resource(crd)
                    .fieldManager("blueshift-tests")
                    .forceConflicts()
                    .serverSideApply();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(cond -> "Established".equals(cond.getType())
                                                    && "True".equals(cond.getStatus())),
                            60,
                            TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RepoPaths.crd(), e);
        }
    }

    private static String run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with exit code " + process.exitValue());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
