package dev.blueshift.operator.support;

import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link KwokOnly} test only on a cluster with kwok's nodes: those of hack/kwok-nodes.yaml
 * carry the label {@code type=kwok} and the annotation {@code kwok.x-k8s.io/node=fake}. The nodes
 * are read with kubectl, in a process of its own: this condition runs before Quarkus starts a
 * {@code @QuarkusTest}, and a Kubernetes client made here, outside Quarkus's class loader, would
 * break the one Quarkus makes.
 */
public final class KwokNodes implements ExecutionCondition {
    private static volatile ConditionEvaluationResult verdict;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (verdict == null) {
            verdict = evaluate();
        }
        return verdict;
    }

    private static ConditionEvaluationResult evaluate() {
        List<String> nodes;
        try {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || kubeconfig.isBlank()) {
                Processes.output("bash", "hack/cluster.sh", "up");
                kubeconfig = Processes.output("bash", "hack/cluster.sh", "kubeconfig")
                        .trim();
            }
            String kubectl =
                    Processes.output("bash", "hack/cluster.sh", "kubectl").trim();
            nodes = Processes.output(
                            kubectl,
                            "--kubeconfig",
                            kubeconfig,
                            "get",
                            "nodes",
                            "-o",
                            "jsonpath={range .items[*]}{.metadata.labels.type}/"
                                    + "{.metadata.annotations.kwok\\.x-k8s\\.io/node}{\"\\n\"}{end}")
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IllegalStateException e) {
            return ConditionEvaluationResult.disabled(
                    "needs kwok's fake Pods, and the cluster's nodes could not be read to find kwok's: "
                            + e.getMessage());
        }
        if (nodes.stream().anyMatch(KwokNodes::isKwok)) {
            return ConditionEvaluationResult.enabled("the cluster has kwok's nodes");
        }
        return ConditionEvaluationResult.disabled("needs kwok's fake Pods (they become Ready whatever their image,"
                + " and its releases are placeholder images no registry serves); this cluster's " + nodes.size()
                + " node(s) are not kwok's: run it on the local control plane (KUBECONFIG unset)");
    }

    /** {@code node}: a node's {@code type} label and {@code kwok.x-k8s.io/node} annotation, "LABEL/ANNOTATION". */
    static boolean isKwok(String node) {
        return node.startsWith("kwok/") || node.endsWith("/fake");
    }
}
