package dev.blueshift.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admission rule against analysis by notBreaching alarms is no broader than it says (its
 * rejections are in the invalid-msds corpus): such an alarm is fine while no metric judges by it.
 */
@Tag("cluster")
class NotBreachingAlarmRuleTest {
    private static final KubernetesClient client = LocalControlPlane.sharedClient();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @Test
    void aNotBreachingAlarmThatNoMetricJudgesByIsAccepted() {
        String manifest = """
        apiVersion: blueshift.dev/v1alpha1
        kind: MicroserviceDeployment
        metadata: {name: shop, labels: {%s: %s}}
        spec:
          replicas: 2
          strategy: {type: BlueGreen}
          analysis:
            interval: 30s
            postPromotion: {duration: 5m}
            metrics:
              - name: strict
                cloudWatchAlarm: {alarm: strict}
              - name: elsewhere
                cloudWatchAlarm: {alarmName: quiet}
          aws:
            alarms:
            - name: strict
              errorRate: {threshold: 0.05}
            - name: quiet
              errorRate: {threshold: 0.05, treatMissingData: notBreaching}
          template:
            spec:
              containers: [{name: app, image: registry.example/shop:1.0}]
        """.formatted(
                        LocalControlPlane.RUN_LABEL, LocalControlPlane.RUN_ID + "-unmanaged"); // no operator acts on it
        GenericKubernetesResource msd =
                client.getKubernetesSerialization().unmarshal(manifest, GenericKubernetesResource.class);
        msd.getMetadata().setNamespace(namespace.name());

        GenericKubernetesResource created = client.resource(msd).create();

        assertThat(created.getMetadata().getUid()).isNotBlank();
    }
}
