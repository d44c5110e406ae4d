package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.api.v1alpha1.status.AlarmStatus;
import dev.blueshift.operator.api.v1alpha1.status.Phase;
import dev.blueshift.operator.aws.iam.PolicyDocuments;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.aws.iam.RoleOwnership;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.reconcile.MicroserviceDeploymentReconciler;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.KubectlPlugin;
import dev.blueshift.operator.support.KwokOnly;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.Msds;
import dev.blueshift.operator.support.TestNamespace;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsEmulatorResource;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.FaultPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The operator end to end with AWS: the real control plane, the operator under test, and moto
 * (through the translating, fault-injecting proxy). The role, its ServiceAccount and the alarms
 * follow the MSD, and its finalizer removes them (or keeps the role) when it goes.
 */
@ClusterTest
@QuarkusTestResource(AwsEmulatorResource.class)
@KwokOnly
class AwsIdentityIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The operator's finalizer, on an MSD with AWS resources only (JOSDK's old default name, kept). */
    private static final String FINALIZER = "microservicedeployments.blueshift.dev/finalizer";

    private static KubernetesClient client;
    private static IamClient iam;
    private static CloudWatchClient cloudWatch;
    private final AwsEmulatorProxy proxy = AwsEmulator.proxy();

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Inject
    Operator operator;

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    @BeforeAll
    static void connect() {
        LocalControlPlane.ensure();
        client = LocalControlPlane.client();
        iam = AwsTestClients.iam();
        cloudWatch = AwsTestClients.cloudWatch();
    }

    @AfterAll
    static void disconnect() {
        client.close();
        iam.close();
        cloudWatch.close();
    }

    @AfterEach
    void noFaults() {
        proxy.faults().clear();
    }

    @Test
    void anMsdWithARoleGetsItsRoleServiceAccountAndAlarmAndItsPodsRunAsThatServiceAccount() throws Exception {
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "cart"));

        MicroserviceDeployment ready = awaitCondition("cart", "AwsIdentity", "True");
        String roleArn = ready.getStatus().getAws().getRoleArn();
        Role role = iam.getRole(r -> r.roleName(roleName("cart"))).role();
        assertThat(roleArn).isEqualTo(role.arn());
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .contains(
                        "system:serviceaccount:" + namespace.name() + ":cart",
                        "sts.amazonaws.com",
                        "AssumeRoleWithWebIdentity");
        assertThat(ready.getStatus().getAws().getServiceAccountName()).isEqualTo("cart");

        ServiceAccount sa = await().atMost(TIMEOUT)
                .until(
                        () -> client.serviceAccounts()
                                .inNamespace(namespace.name())
                                .withName("cart")
                                .get(),
                        s -> s != null
                                && s.getMetadata().getAnnotations() != null
                                && s.getMetadata()
                                        .getAnnotations()
                                        .containsKey(WorkloadServiceAccountBuilder.ROLE_ARN));
        assertThat(sa.getMetadata().getAnnotations())
                .containsEntry(WorkloadServiceAccountBuilder.ROLE_ARN, roleArn)
                .containsEntry(WorkloadServiceAccountBuilder.STS_REGIONAL_ENDPOINTS, "true");
        assertThat(sa.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(ref ->
                        assertThat(ref.getUid()).isEqualTo(ready.getMetadata().getUid()));
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace.name())
                .withName("cart")
                .get();
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("cart");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.pods()
                                .inNamespace(namespace.name())
                                .list()
                                .getItems())
                        .isNotEmpty()
                        .allSatisfy(p ->
                                assertThat(p.getSpec().getServiceAccountName()).isEqualTo("cart")));

        MicroserviceDeployment withAlarm = await().atMost(TIMEOUT)
                .until(() -> msd("cart").get(), m -> alarms(m).stream().anyMatch(a -> "OK".equals(a.getState())));
        assertThat(alarms(withAlarm)).singleElement().satisfies(a -> {
            assertThat(a.getName()).isEqualTo("errors");
            assertThat(a.getRevision()).matches("[0-9a-f]{10}");
            assertThat(a.getAlarmName()).isEqualTo(alarmPrefix("cart") + "errors/" + a.getRevision());
        });
        String revision = alarms(withAlarm).get(0).getRevision();
        assertThat(condition(withAlarm, "AwsAlarms").getStatus()).isEqualTo("True");
        assertThat(KubectlPlugin.run(namespace.name(), "status", "cart"))
                .contains("aws: role=" + roleArn + " serviceAccount=cart alarms: errors/" + revision + "=OK");

        assertThat(scrape())
                .as("AWS calls counted by operation and outcome")
                .contains("blueshift_aws_calls_total{operation=\"CreateRole\",outcome=\"success\",service=\"")
                .contains(
                        "blueshift_aws_calls_total{operation=\"DescribeAlarms\",outcome=\"success\",service=\"CloudWatch\"}")
                .contains("blueshift_aws_call_attempts_total{operation=\"PutMetricAlarm\",service=\"CloudWatch\"}");

        // Rollback tests drive alarms like this: the shared poller sees the change and the status follows.
        AwsTestClients.setAlarmState(cloudWatch, withAlarm, "errors", revision, StateValue.ALARM, "test: 40% errors");
        await().atMost(TIMEOUT)
                .until(() -> msd("cart").get(), m -> alarms(m).stream().anyMatch(a -> "ALARM".equals(a.getState())));
    }

    @Test
    void aRoleAddedToARunningBlueGreenMsdIsReleasedAsANewRevisionWhosePodsRunAsItsServiceAccount() {
        create(Msds.blueGreen(namespace.name(), "ledger", 2, "registry.example/ledger:1.0"));
        MicroserviceDeployment first = await().atMost(TIMEOUT)
                .until(
                        () -> msd("ledger").get(),
                        m -> m != null && m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy);
        String r1 = first.getStatus().getStableRevision();

        edit(
                "ledger",
                m -> m.getSpec()
                        .setAws(AwsMsds.withRoleAndAlarm(namespace.name(), "ledger")
                                .getSpec()
                                .getAws()));

        MicroserviceDeployment released = await().atMost(TIMEOUT)
                .until(
                        () -> msd("ledger").get(),
                        m -> m.getStatus() != null
                                && m.getStatus().getPhase() == Phase.Healthy
                                && !r1.equals(m.getStatus().getStableRevision()));
        String r2 = released.getStatus().getStableRevision();
        assertThat(released.getStatus().getActiveRevision()).isEqualTo(r2);
        assertThat(condition(released, "AwsIdentity").getStatus()).isEqualTo("True");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.pods()
                                .inNamespace(namespace.name())
                                .withLabel("blueshift.dev/revision", r2)
                                .list()
                                .getItems())
                        .hasSize(2)
                        .allSatisfy(p ->
                                assertThat(p.getSpec().getServiceAccountName()).isEqualTo("ledger")));
    }

    @Test
    void aServiceAccountNamedInTheTemplateIsTheOneTrustedAnnotatedAndNeverTakenFromSomeoneElse() {
        client.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("shared-runtime")
                        .withNamespace(namespace.name())
                        .endMetadata()
                        .build())
                .create();
        MicroserviceDeployment foreignSa = AwsMsds.withRoleAndAlarm(namespace.name(), "reports");
        foreignSa.getSpec().getTemplate().getSpec().setServiceAccountName("shared-runtime");
        create(foreignSa);

        Condition notOwned = condition(awaitCondition("reports", "ReconcileError", "True"), "ReconcileError");
        assertThat(notOwned.getReason()).isEqualTo("NotOwned");
        assertThat(notOwned.getMessage()).contains("ServiceAccount " + namespace.name() + "/shared-runtime");
        assertThat(client.serviceAccounts()
                        .inNamespace(namespace.name())
                        .withName("shared-runtime")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .as("someone else's ServiceAccount is left as it was")
                .isNullOrEmpty();

        MicroserviceDeployment own = AwsMsds.withRoleAndAlarm(namespace.name(), "checkout");
        own.getSpec().getTemplate().getSpec().setServiceAccountName("checkout-runtime");
        create(own);

        MicroserviceDeployment ready = awaitCondition("checkout", "AwsIdentity", "True");
        assertThat(ready.getStatus().getAws().getServiceAccountName()).isEqualTo("checkout-runtime");
        assertThat(URLDecoder.decode(
                        iam.getRole(r -> r.roleName(roleName("checkout")))
                                .role()
                                .assumeRolePolicyDocument(),
                        StandardCharsets.UTF_8))
                .contains("system:serviceaccount:" + namespace.name() + ":checkout-runtime");
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(client.serviceAccounts()
                                .inNamespace(namespace.name())
                                .withName("checkout-runtime")
                                .get()
                                .getMetadata()
                                .getAnnotations())
                        .containsEntry(
                                WorkloadServiceAccountBuilder.ROLE_ARN,
                                ready.getStatus().getAws().getRoleArn()));
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(namespace.name())
                        .withName("checkout")
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo("checkout-runtime");
    }

    @Test
    void aCreatedMsdCostsItsCreationCallsOnceHoweverOftenItIsReconciledUntilReady() {
        proxy.clearCalls();
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "catalog"));

        // Until the workload is Healthy and the alarm's state was read, the MSD is reconciled many times
        // (Deployment status, alarm poller, status writes); AWS is asked once, plus the alarm poll.
        await().atMost(TIMEOUT)
                .until(
                        () -> msd("catalog").get(),
                        m -> m.getStatus() != null
                                && m.getStatus().getPhase() != null
                                && m.getStatus().getPhase().name().equals("Healthy")
                                && alarms(m).stream().anyMatch(a -> "OK".equals(a.getState())));
        List<AwsEmulatorProxy.Call> calls = proxy.calls();

        Map<String, Long> counts = AwsEmulatorProxy.count(calls);
        System.out.printf(
                "[aws-calls] operator, MSD creation until Healthy with its alarm read: %d calls %s%n",
                calls.size(), counts);
        assertThat(counts)
                .containsEntry("iam:CreateRole", 1L)
                .containsEntry("iam:PutRolePolicy", 1L)
                .containsEntry("iam:AttachRolePolicy", 1L)
                .containsEntry("monitoring:PutMetricAlarm", 1L);
    }

    @Test
    void aNewReleaseGetsAlarmsOfItsOwnRevisionAndThePrunedRevisionsAlarmsGo() {
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "search"));
        String first = await().atMost(TIMEOUT)
                .until(() -> alarms(msd("search").get()), a -> a.size() == 1)
                .get(0)
                .getRevision();

        edit(
                "search",
                m -> m.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .setImage("registry.example/search:2.0"));

        // Rolling keeps one live revision: the new one gets its alarm, the old one's goes.
        String second = await().atMost(TIMEOUT)
                .until(
                        () -> alarms(msd("search").get()),
                        a -> a.size() == 1 && !first.equals(a.get(0).getRevision()))
                .get(0)
                .getRevision();
        assertThat(cloudWatch
                        .describeAlarms(r -> r.alarmNamePrefix(alarmPrefix("search")))
                        .metricAlarms())
                .extracting(a -> a.alarmName())
                .singleElement()
                .asString()
                .endsWith("/errors/" + second);
    }

    @Test
    void policiesAttachedBehindTheOperatorsBackAreDetachedAtTheNextResyncAndAnEventSaysSo() {
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "payments"));
        awaitCondition("payments", "AwsIdentity", "True");
        await().atMost(TIMEOUT).until(() -> events("payments").contains("RoleCreated"));

        iam.attachRolePolicy(
                r -> r.roleName(roleName("payments")).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        iam.detachRolePolicy(r -> r.roleName(roleName("payments")).policyArn(AwsMsds.READ_ONLY));

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(attached("payments")).containsExactly(AwsMsds.READ_ONLY));
        await().atMost(TIMEOUT).until(() -> events("payments").contains("RoleDriftCorrected"));
    }

    private List<String> events(String msd) {
        return client.v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> msd.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason())
                .toList();
    }

    @Test
    void deletingTheMsdDeletesItsRoleAndAlarmsThroughTheFinalizer() {
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "billing"));
        MicroserviceDeployment ready = awaitCondition("billing", "AwsIdentity", "True");
        assertThat(ready.getMetadata().getFinalizers()).containsExactly(FINALIZER);
        await().atMost(TIMEOUT).until(() -> !alarms(msd("billing").get()).isEmpty());

        msd("billing").delete();

        await().atMost(TIMEOUT).until(() -> msd("billing").get() == null);
        assertThat(roleExists("billing")).isFalse();
        assertThat(cloudWatch
                        .describeAlarms(r -> r.alarmNamePrefix(alarmPrefix("billing")))
                        .metricAlarms())
                .isEmpty();
    }

    @Test
    void anMsdThatNoLongerAsksForAwsLosesItsRoleAndAlarm() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "coupons");
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Delete);
        create(msd);
        awaitCondition("coupons", "AwsIdentity", "True");
        await().atMost(TIMEOUT).until(() -> !alarms(msd("coupons").get()).isEmpty());

        edit("coupons", m -> m.getSpec().setAws(null));

        await().atMost(TIMEOUT).until(() -> !roleExists("coupons"));
        await().atMost(TIMEOUT)
                .until(() -> cloudWatch
                        .describeAlarms(r -> r.alarmNamePrefix(alarmPrefix("coupons")))
                        .metricAlarms()
                        .isEmpty());
        MicroserviceDeployment without = await().atMost(TIMEOUT)
                .until(
                        () -> msd("coupons").get(),
                        m -> alarms(m).isEmpty() && m.getStatus().getAws().getRoleArn() == null);
        assertThat(without.getStatus().getPhase()).isEqualTo(Phase.Healthy);
        // Nothing left in AWS: nothing for the finalizer to hold.
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> assertThat(msd("coupons").get().getMetadata().getFinalizers())
                                .isEmpty());
    }

    @Test
    void anMsdWithoutAwsCarriesNoFinalizerSoItGoesAtOnceWithNoOperatorToRelease() {
        // JOSDK calls reconcile for deletions only with this flag, which QOSDK 7.7.3 drops (OperatorRegistration).
        assertThat(operator.getRegisteredController(MicroserviceDeploymentReconciler.NAME)
                        .orElseThrow()
                        .getConfiguration()
                        .triggerReconcilerOnAllEvents())
                .isTrue();
        client.resource(LocalControlPlane.claim(Msds.blueGreen(namespace.name(), "static", 1, "shop:1")))
                .create();
        await().atMost(TIMEOUT)
                .until(
                        () -> msd("static").get(),
                        m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy);
        assertThat(msd("static").get().getMetadata().getFinalizers()).isEmpty();

        msd("static").delete();

        // Gone by the DELETE itself: no controller has to be running to let it go (an uninstalled
        // operator leaves no MSD and no namespace Terminating).
        assertThat(msd("static").get()).isNull();
    }

    @Test
    void theFinalizerAnEarlierOperatorPutOnEveryMsdComesOffOneWithoutAws() {
        MicroserviceDeployment old = Msds.blueGreen(namespace.name(), "legacy-static", 1, "shop:1");
        old.getMetadata().setFinalizers(List.of(FINALIZER));
        client.resource(LocalControlPlane.claim(old)).create();

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(
                                msd("legacy-static").get().getMetadata().getFinalizers())
                        .isEmpty());
    }

    @Test
    void anotherControllersFinalizerIsLeftAloneWhileOursCleansUpAws() {
        String theirs = "example.com/backup-first";
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "audit");
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Delete);
        msd.getMetadata().setFinalizers(List.of(theirs));
        create(msd);
        awaitCondition("audit", "AwsIdentity", "True");
        assertThat(msd("audit").get().getMetadata().getFinalizers()).containsExactlyInAnyOrder(theirs, FINALIZER);

        msd("audit").delete();

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(msd("audit").get().getMetadata().getFinalizers())
                        .containsExactly(theirs));
        assertThat(roleExists("audit")).isFalse();
        msd("audit").edit(m -> {
            m.getMetadata().setFinalizers(List.of());
            return m;
        });
        await().atMost(TIMEOUT).until(() -> msd("audit").get() == null);
    }

    @Test
    void deletionPolicyRetainKeepsTheRoleWhenTheMsdGoes() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "ledger");
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Retain);
        create(msd);
        awaitCondition("ledger", "AwsIdentity", "True");

        msd("ledger").delete();

        await().atMost(TIMEOUT).until(() -> msd("ledger").get() == null);
        assertThat(roleExists("ledger")).isTrue();
        assertThat(attached("ledger")).containsExactly(AwsMsds.READ_ONLY);
        deleteRoleByHand("ledger");
    }

    @Test
    void aRoleWeDoNotOwnIsLeftAloneUntilTheAdoptAnnotationAndThenManaged() {
        String foreign =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        iam.createRole(r -> r.roleName(roleName("legacy")).path("/blueshift/").assumeRolePolicyDocument(foreign));
        // Adoption is the admin's to allow: this namespace's guardrail profile does.
        client.namespaces().withName(namespace.name()).edit(n -> {
            n.getMetadata().getLabels().put("blueshift.dev/guardrails", AwsEmulatorResource.PROFILE_ADOPTING);
            return n;
        });

        create(AwsMsds.withRoleAndAlarm(namespace.name(), "legacy"));

        Condition notOwned = condition(awaitCondition("legacy", "AwsIdentity", "False"), "AwsIdentity");
        assertThat(notOwned.getReason()).isEqualTo("RoleNotOwned");
        assertThat(notOwned.getMessage()).contains(RoleOwnership.ADOPT_ANNOTATION);
        assertThat(URLDecoder.decode(
                        iam.getRole(r -> r.roleName(roleName("legacy"))).role().assumeRolePolicyDocument(),
                        StandardCharsets.UTF_8))
                .contains("ec2.amazonaws.com");
        assertThat(attached("legacy")).isEmpty();

        edit("legacy", m -> m.getMetadata().getAnnotations().put(RoleOwnership.ADOPT_ANNOTATION, "true"));

        awaitCondition("legacy", "AwsIdentity", "True");
        Role adopted = iam.getRole(r -> r.roleName(roleName("legacy"))).role();
        assertThat(adopted.tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo(RoleOwnership.NAME + "=legacy"));
        assertThat(PolicyDocuments.decoded(adopted.assumeRolePolicyDocument())).contains("AssumeRoleWithWebIdentity");
        assertThat(attached("legacy")).containsExactly(AwsMsds.READ_ONLY);
    }

    @Test
    void whileIamFailsTheStatusSaysSoAndTheOperatorConvergesOnceItRecovers() {
        proxy.faults().serverError("iam", FaultPlan.ANY, FaultPlan.UNTIL_CLEARED);

        create(AwsMsds.withRoleAndAlarm(namespace.name(), "orders"));

        Condition failing = condition(awaitCondition("orders", "AwsIdentity", "False"), "AwsIdentity");
        assertThat(failing.getReason()).isEqualTo("AwsUnavailable");
        assertThat(failing.getMessage()).contains("ServiceUnavailable", "Retrying with backoff");
        assertThat(msd("orders").get().getStatus().getPhase().name())
                .as("the workload itself is applied regardless")
                .isNotEqualTo("Failed");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(namespace.name())
                        .withName("orders")
                        .get())
                .isNotNull();
        // No ServiceAccount without its role: no Pod can start without it (and fall back to the node's role).
        assertThat(client.serviceAccounts()
                        .inNamespace(namespace.name())
                        .withName("orders")
                        .get())
                .isNull();
        assertThat(client.pods().inNamespace(namespace.name()).list().getItems())
                .isEmpty();

        proxy.faults().clear();

        MicroserviceDeployment recovered = awaitCondition("orders", "AwsIdentity", "True");
        String roleArn = recovered.getStatus().getAws().getRoleArn();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            ServiceAccount sa = client.serviceAccounts()
                    .inNamespace(namespace.name())
                    .withName("orders")
                    .get();
            assertThat(sa).isNotNull();
            assertThat(sa.getMetadata().getAnnotations())
                    .containsEntry(WorkloadServiceAccountBuilder.ROLE_ARN, roleArn);
            assertThat(client.pods().inNamespace(namespace.name()).list().getItems())
                    .isNotEmpty()
                    .allSatisfy(
                            p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo("orders"));
        });
        assertThat(recovered.getStatus().getAws().getRoleArn()).endsWith(roleName("orders"));
        String readablePart = roleName("orders").substring(0, roleName("orders").length() - 10);
        assertThat(iam.listRolesPaginator().roles().stream()
                        .filter(r -> r.roleName().startsWith(readablePart))
                        .toList())
                .as("exactly one role, however many attempts")
                .hasSize(1);
    }

    @Test
    void whileAnotherMsdsAwsWorkHoldsTheOnlyPermitTheStatusSaysThisOneWaitsAndThenItGetsItsTurn() {
        // IAM answers late (within the SDK's attempt timeout), so an MSD's AWS work holds the test
        // configuration's only permit for seconds.
        proxy.faults().slow("iam", FaultPlan.ANY, Duration.ofMillis(1500), FaultPlan.UNTIL_CLEARED);
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "first"));
        create(AwsMsds.withRoleAndAlarm(namespace.name(), "second"));

        MicroserviceDeployment waiting = await().atMost(TIMEOUT)
                .until(
                        () -> Stream.of("first", "second")
                                .map(n -> msd(n).get())
                                .filter(m -> m != null
                                        && m.getStatus() != null
                                        // (the permit holder itself may say WaitingForAws too: its own sync goes on
                                        // past blueshift.aws.sync-wait)
                                        && m.getStatus().getConditions().stream()
                                                .anyMatch(c -> "WaitingForAws".equals(c.getReason())
                                                        && c.getMessage().contains("holds every permit")))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        Condition identity = condition(waiting, "AwsIdentity");
        assertThat(identity.getStatus()).isEqualTo("False");
        assertThat(identity.getMessage()).contains("holds every permit (blueshift.aws.max-concurrent-syncs = 1)");
        assertThat(waiting.getStatus().getPhase().name())
                .as("the workload itself goes on")
                .isNotEqualTo("Failed");

        proxy.faults().clear();
        for (String name : List.of("first", "second")) {
            assertThat(awaitCondition(name, "AwsIdentity", "True")
                            .getStatus()
                            .getAws()
                            .getRoleArn())
                    .endsWith(roleName(name));
        }
    }

    @Test
    void aPolicyIamRejectsShowsIamsMessageAndIsNotRetriedInAHotLoop() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "audit");
        msd.getSpec()
                .getAws()
                .getIam()
                .setInlinePolicy(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}");
        create(msd);

        Condition rejected = condition(awaitCondition("audit", "AwsIdentity", "False"), "AwsIdentity");
        assertThat(rejected.getReason()).isEqualTo("MalformedPolicyDocument");
        assertThat(rejected.getMessage()).startsWith("MalformedPolicyDocument: ");

        proxy.clearCalls();
        // Over 6 s (two resync intervals of the test configuration) the operator tries again at most at each resync.
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10))
                .until(() -> proxy.calls().stream()
                                .filter(c -> c.operation().equals("PutRolePolicy"))
                                .count()
                        <= 3);

        edit("audit", m -> m.getSpec().getAws().getIam().setInlinePolicy(AwsMsds.S3_READ));
        awaitCondition("audit", "AwsIdentity", "True");
    }

    private String scrape() throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(metrics.toURI()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private MicroserviceDeployment create(MicroserviceDeployment msd) {
        msd.getMetadata().setUid(null);
        msd.getMetadata().setGeneration(null);
        return client.resource(LocalControlPlane.claim(msd)).create();
    }

    /** Edits the MSD, trying again when the operator's status write got in between (409). */
    private MicroserviceDeployment edit(String name, java.util.function.Consumer<MicroserviceDeployment> change) {
        return await().atMost(TIMEOUT)
                .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(
                        () -> msd(name).edit(m -> {
                            change.accept(m);
                            return m;
                        }),
                        m -> true);
    }

    private Resource<MicroserviceDeployment> msd(String name) {
        return client.resources(MicroserviceDeployment.class)
                .inNamespace(namespace.name())
                .withName(name);
    }

    /**
     * Waits for a condition with this status and a verdict: WaitingForAws is no verdict (the MSD's
     * first sync may run past blueshift.aws.sync-wait and finish in the background).
     */
    private MicroserviceDeployment awaitCondition(String name, String type, String status) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> msd(name).get(),
                        m -> m != null
                                && m.getStatus() != null
                                && m.getStatus().getConditions().stream()
                                        .anyMatch(c -> type.equals(c.getType())
                                                && status.equals(c.getStatus())
                                                && !"WaitingForAws".equals(c.getReason())));
    }

    private static Condition condition(MicroserviceDeployment msd, String type) {
        return msd.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no " + type + " condition in " + msd.getStatus().getConditions()));
    }

    private static List<AlarmStatus> alarms(MicroserviceDeployment msd) {
        return msd == null || msd.getStatus() == null || msd.getStatus().getAws() == null
                ? List.of()
                : msd.getStatus().getAws().getAlarms();
    }

    private String roleName(String msd) {
        return RoleNames.of(AwsEmulatorResource.CLUSTER_NAME, namespace.name(), msd);
    }

    private String alarmPrefix(String msd) {
        return "blueshift/" + AwsEmulatorResource.CLUSTER_NAME + "/" + namespace.name() + "/" + msd + "/";
    }

    private boolean roleExists(String msd) {
        try {
            iam.getRole(r -> r.roleName(roleName(msd)));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    private List<String> attached(String msd) {
        return iam.listAttachedRolePolicies(r -> r.roleName(roleName(msd))).attachedPolicies().stream()
                .map(p -> p.policyArn())
                .toList();
    }

    private void deleteRoleByHand(String msd) {
        attached(msd)
                .forEach(arn ->
                        iam.detachRolePolicy(r -> r.roleName(roleName(msd)).policyArn(arn)));
        iam.listRolePolicies(r -> r.roleName(roleName(msd)))
                .policyNames()
                .forEach(
                        p -> iam.deleteRolePolicy(r -> r.roleName(roleName(msd)).policyName(p)));
        iam.deleteRole(r -> r.roleName(roleName(msd)));
    }
}
