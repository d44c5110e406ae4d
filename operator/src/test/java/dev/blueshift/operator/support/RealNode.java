package dev.blueshift.operator.support;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real node of hack/node.sh as the tests see it: whether it is up (a {@link RealNodeOnly}
 * condition, read with kubectl in a process of its own, as {@link KwokNodes} does), and the Pod
 * template of the sample service that runs there.
 */
public final class RealNode implements ExecutionCondition {
    private static volatile ConditionEvaluationResult verdict;
    private static volatile Map<String, String> env;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (verdict == null) {
            verdict = evaluate();
        }
        return verdict;
    }

    private static ConditionEvaluationResult evaluate() {
        if (System.getenv("KUBECONFIG") != null && !System.getenv("KUBECONFIG").isBlank()) {
            return ConditionEvaluationResult.disabled(
                    "needs the local control plane's real node (hack/node.sh); KUBECONFIG names another cluster");
        }
        try {
            String kubeconfig =
                    Processes.output("bash", "hack/cluster.sh", "kubeconfig").trim();
            String kubectl =
                    Processes.output("bash", "hack/cluster.sh", "kubectl").trim();
            String ready = Processes.output(
                    kubectl,
                    "--kubeconfig",
                    kubeconfig,
                    "get",
                    "nodes",
                    "-l",
                    "blueshift.dev/node=real",
                    "-o",
                    "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{end}");
            if (!ready.contains("True")) {
                return ConditionEvaluationResult.disabled("needs the real node, which is not up: hack/node.sh up"
                        + " (make test starts it after the other suites where `hack/node.sh check` passes)");
            }
            return ConditionEvaluationResult.enabled("the real node is Ready");
        } catch (IllegalStateException e) {
            return ConditionEvaluationResult.disabled(
                    "needs the real node; the nodes could not be read: " + e.getMessage());
        }
    }

    /** hack/node.sh env: the node's name, the address Pods reach this machine's servers at, the sample image. */
    public static Map<String, String> env() {
        if (env == null) {
            env = Processes.output("bash", "hack/node.sh", "env")
                    .lines()
                    .filter(l -> l.contains("="))
                    .collect(Collectors.toMap(
                            l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        }
        return env;
    }

    /** The node's own Prometheus, which finds its Pods through Kubernetes service discovery (hack/node.sh). */
    public static String prometheusAddress() {
        return env().get("BLUESHIFT_NODE_PROMETHEUS");
    }

    /**
     * The sample service on the real node: its image (imported, never pulled), Redis and PostgreSQL
     * reached at the node's host address, its own readiness probe, the node's taint tolerated, and
     * its metrics offered to Prometheus.
     */
    public static PodTemplateSpec sampleServiceTemplate() {
        String host = env().get("BLUESHIFT_NODE_HOST_IP");
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("team", "catalog")
                // Prometheus scrapes the Pods that ask for it (hack/prometheus.sh, the real node's job).
                .addToAnnotations("prometheus.io/scrape", "true")
                .addToAnnotations("prometheus.io/port", "8080")
                .addToAnnotations("prometheus.io/path", "/q/metrics")
                .endMetadata()
                .withNewSpec()
                .addToNodeSelector("blueshift.dev/node", "real")
                .addNewToleration()
                .withKey("blueshift.dev/real-node")
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .endToleration()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(10L)
                .addNewContainer()
                .withName("app")
                .withImage(env().get("BLUESHIFT_NODE_SAMPLE_IMAGE"))
                .withImagePullPolicy("Never")
                .addNewEnv()
                .withName("BLUESHIFT_REDIS_URL")
                .withValue("redis://" + host + ":16379")
                .endEnv()
                .addNewEnv()
                .withName("BLUESHIFT_DB_URL")
                .withValue("jdbc:postgresql://" + host + ":15432/catalog")
                .endEnv()
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/q/health/ready")
                .withNewPort(8080)
                .endHttpGet()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build();
    }
}
