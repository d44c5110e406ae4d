package dev.blueshift.operator.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.kube.WorkloadServiceAccountBuilder;
import dev.blueshift.operator.support.ClusterTest;
import dev.blueshift.operator.support.LocalControlPlane;
import dev.blueshift.operator.support.MsdFixture;
import dev.blueshift.operator.support.TestNamespace;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsEmulatorProxy;
import dev.blueshift.operator.support.aws.AwsEmulatorResource;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * A tenant who may create MSDs in their namespace tries to reach beyond what the cluster admin
 * allowed, on the real control plane with moto: every attempt is refused with the condition that
 * names the rule and the field, and nothing is created in AWS. The admin's settings are those of
 * {@link AwsEmulatorResource}: the default guardrails plus a permissions boundary, and two
 * profiles a namespace label selects.
 */
@ClusterTest
@QuarkusTestResource(AwsEmulatorResource.class)
class TenantSafetyIT {
    static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static KubernetesClient client;
    private static IamClient iam;
    private final AwsEmulatorProxy proxy = AwsEmulator.proxy();

    @RegisterExtension
    final TestNamespace namespace = new TestNamespace();

    MsdFixture msds;

    @BeforeAll
    static void connect() {
        LocalControlPlane.ensure();
        client = LocalControlPlane.client();
        iam = AwsTestClients.iam();
    }

    @AfterAll
    static void disconnect() {
        client.close();
        iam.close();
    }

    @BeforeEach
    void fixture() {
        msds = new MsdFixture(client, namespace.name());
        proxy.faults().clear();
    }

    @Test
    void anAdminClassManagedPolicyIsRefusedAndNoRoleServiceAccountOrPodIdentityIsMade() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "greedy");
        msd.getSpec().getAws().getIam().setManagedPolicyArns(List.of(ADMIN));
        msds.create(msd);

        Condition refused = awaitIdentity("greedy", "PolicyNotAllowed");
        assertThat(refused.getStatus()).isEqualTo("False");
        assertThat(refused.getMessage()).contains("spec.aws.iam.managedPolicyArns", ADMIN, "denied-managed-policies");
        assertRefusedWithoutAws("greedy", "PolicyNotAllowed");
    }

    @Test
    void aWildcardInlinePolicyIsRefused() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "wild");
        msd.getSpec()
                .getAws()
                .getIam()
                .setInlinePolicy(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        msds.create(msd);

        assertThat(awaitIdentity("wild", "InlinePolicyNotAllowed").getMessage())
                .contains("spec.aws.iam.inlinePolicy", "\"*\"");
        assertRefusedWithoutAws("wild", "InlinePolicyNotAllowed");
    }

    @Test
    void anMsdCannotReplaceTheAdminsBoundaryAndEveryRoleItGetsCarriesIt() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "escape");
        msd.getSpec()
                .getAws()
                .getIam()
                .setPermissionsBoundary("arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":policy/wide-open");
        msds.create(msd);
        assertThat(awaitIdentity("escape", "PermissionsBoundaryNotAllowed").getMessage())
                .contains("spec.aws.iam.permissionsBoundary", AwsEmulatorResource.BOUNDARY);
        assertRefusedWithoutAws("escape", "PermissionsBoundaryNotAllowed");

        msds.create(AwsMsds.withRoleAndAlarm(namespace.name(), "bounded"));
        awaitIdentity("bounded", "RoleReady");
        Role role = role("bounded").orElseThrow();
        assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(AwsEmulatorResource.BOUNDARY);
        assertThat(role.path()).isEqualTo("/blueshift/");

        // Someone removes it by hand: the next resync puts it back (drift), before anything else.
        iam.deleteRolePermissionsBoundary(r -> r.roleName(roleName("bounded")));
        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(role("bounded").orElseThrow().permissionsBoundary())
                        .isNotNull()
                        .satisfies(
                                b -> assertThat(b.permissionsBoundaryArn()).isEqualTo(AwsEmulatorResource.BOUNDARY)));
    }

    @Test
    void aBoundaryAnAdminPutOnByHandIsNotRemovedAsDrift() {
        label(AwsEmulatorResource.PROFILE_ADOPTING); // a profile without a boundary of its own
        msds.create(AwsMsds.withRoleAndAlarm(namespace.name(), "handbound"));
        awaitIdentity("handbound", "RoleReady");
        assertThat(role("handbound").orElseThrow().permissionsBoundary()).isNull();

        iam.putRolePermissionsBoundary(
                r -> r.roleName(roleName("handbound")).permissionsBoundary(AwsEmulatorResource.BOUNDARY));
        proxy.clearCalls();
        // Several resyncs of the test configuration (3 s each) pass.
        await().during(java.time.Duration.ofSeconds(8))
                .atMost(java.time.Duration.ofSeconds(12))
                .until(() -> role("handbound").orElseThrow().permissionsBoundary() != null);
        assertThat(proxy.calls()).noneMatch(c -> c.operation().equals("DeleteRolePermissionsBoundary"));
    }

    @Test
    void aNamespaceTheAdminLabelledWithAProfileGetsThatProfilesRules() {
        label(AwsEmulatorResource.PROFILE_OPEN);
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "platform");
        msd.getSpec().getAws().getIam().setManagedPolicyArns(List.of(ADMIN));
        msds.create(msd);

        awaitIdentity("platform", "RoleReady");
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName(roleName("platform")))
                        .attachedPolicies())
                .extracting(p -> p.policyArn())
                .containsExactly(ADMIN);
    }

    @Test
    void aProfileLabelNamingNoProfileRefusesRatherThanGuesses() {
        label("no-such-profile");
        msds.create(AwsMsds.withRoleAndAlarm(namespace.name(), "typo"));

        assertThat(awaitIdentity("typo", "GuardrailProfileUnknown").getMessage())
                .contains("no-such-profile", PROFILE_LIST);
        assertRefusedWithoutAws("typo", "GuardrailProfileUnknown");
    }

    static final String PROFILE_LIST =
            "[" + AwsEmulatorResource.PROFILE_ADOPTING + ", " + AwsEmulatorResource.PROFILE_OPEN + "]";

    @Test
    void theAdoptAnnotationTakesNoRoleUnlessTheAdminAllowsAdoption() {
        String trust =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}";
        iam.createRole(r -> r.roleName(roleName("takeover")).path("/blueshift/").assumeRolePolicyDocument(trust));
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "takeover");
        msd.getMetadata().getAnnotations().put("blueshift.dev/adopt-role", "true");
        msds.create(msd);

        assertThat(awaitIdentity("takeover", "RoleAdoptionNotAllowed").getMessage())
                .contains("allow-role-adoption");
        Role untouched = role("takeover").orElseThrow();
        assertThat(URLDecoder.decode(untouched.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .contains("ec2.amazonaws.com");
        assertThat(untouched.tags()).isEmpty();
        iam.deleteRole(r -> r.roleName(roleName("takeover")));
    }

    @Test
    void removingTheRoleFromASpecDeletesTheRoleAndTheServiceAccountLosesItsAnnotation() {
        msds.create(AwsMsds.withRoleAndAlarm(namespace.name(), "shrink"));
        awaitIdentity("shrink", "RoleReady");
        awaitAnnotated("shrink", true);

        msds.edit("shrink", m -> {
            m.getSpec().getAws().setIam(null);
            return m;
        });

        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(role("shrink"))
                        .as("the role goes (deletionPolicy Delete)")
                        .isEmpty());
        await().atMost(MsdFixture.TIMEOUT).untilAsserted(() -> {
            ServiceAccount sa = client.serviceAccounts()
                    .inNamespace(namespace.name())
                    .withName("shrink")
                    .get();
            assertThat(sa == null
                            || sa.getMetadata().getAnnotations() == null
                            || !sa.getMetadata().getAnnotations().containsKey(WorkloadServiceAccountBuilder.ROLE_ARN))
                    .as("no ServiceAccount of the MSD names the deleted role")
                    .isTrue();
        });
        // The sync that deleted the role may have run in the background: status follows at the next reconcile.
        MicroserviceDeployment after = msds.awaitStatus(
                "shrink",
                "the role forgotten",
                st -> st.getAws() == null || st.getAws().getRoleArn() == null);
        assertThat(after.getStatus().getConditions()).noneMatch(c -> c.getType().equals("AwsIdentity"));
    }

    @Test
    void removingTheRoleOfAnMsdWhoseDeletionPolicyIsRetainKeepsTheRole() {
        MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace.name(), "keeper");
        msd.getSpec().getAws().getIam().setDeletionPolicy(DeletionPolicy.Retain);
        msds.create(msd);
        awaitIdentity("keeper", "RoleReady");

        msds.edit("keeper", m -> {
            m.getSpec().getAws().setIam(null);
            return m;
        });

        msds.awaitStatus(
                "keeper",
                "the role forgotten",
                s -> s.getAws() == null || s.getAws().getRoleArn() == null);
        assertThat(role("keeper"))
                .as("Retain outlives the removal of spec.aws.iam")
                .isPresent();
        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(events())
                        .anySatisfy(e -> assertThat(e.getMessage()).contains("retained (deletionPolicy: Retain)")));
        iam.listAttachedRolePolicies(r -> r.roleName(roleName("keeper")))
                .attachedPolicies()
                .forEach(p ->
                        iam.detachRolePolicy(r -> r.roleName(roleName("keeper")).policyArn(p.policyArn())));
        iam.listRolePolicies(r -> r.roleName(roleName("keeper")))
                .policyNames()
                .forEach(p ->
                        iam.deleteRolePolicy(r -> r.roleName(roleName("keeper")).policyName(p)));
        iam.deleteRole(r -> r.roleName(roleName("keeper")));
    }

    @Test
    void aRenamedServiceAccountIsTrustedAnnotatedAndTheOldOneRetiredButAForeignOneIsNeverTrusted() {
        msds.create(AwsMsds.withRoleAndAlarm(namespace.name(), "mover"));
        awaitIdentity("mover", "RoleReady");
        awaitAnnotated("mover", true);

        msds.edit("mover", m -> {
            m.getSpec().getTemplate().getSpec().setServiceAccountName("mover-runtime");
            return m;
        });

        awaitAnnotated("mover-runtime", true);
        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(trustPolicy("mover"))
                        .contains("system:serviceaccount:" + namespace.name() + ":mover-runtime")
                        .doesNotContain("system:serviceaccount:" + namespace.name() + ":mover\""));
        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(client.serviceAccounts()
                                .inNamespace(namespace.name())
                                .withName("mover")
                                .get())
                        .as("the old ServiceAccount goes once no Pod runs as it")
                        .isNull());
        msds.awaitPhase("mover", dev.blueshift.operator.api.v1alpha1.status.Phase.Healthy);

        // Someone else's ServiceAccount in the namespace: named by the tenant, never trusted nor annotated.
        client.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("ci-deployer")
                        .withNamespace(namespace.name())
                        .endMetadata()
                        .build())
                .create();
        msds.edit("mover", m -> {
            m.getSpec().getTemplate().getSpec().setServiceAccountName("ci-deployer");
            return m;
        });

        Condition notOwned = msds
                .awaitStatus(
                        "mover",
                        "NotOwned",
                        s -> s.getConditions().stream()
                                .anyMatch(
                                        c -> c.getType().equals("ReconcileError") && "NotOwned".equals(c.getReason())))
                .getStatus()
                .getConditions()
                .stream()
                .filter(c -> c.getType().equals("ReconcileError"))
                .findFirst()
                .orElseThrow();
        assertThat(notOwned.getMessage()).contains("ServiceAccount " + namespace.name() + "/ci-deployer");
        assertThat(trustPolicy("mover")).doesNotContain("ci-deployer");
        assertThat(client.serviceAccounts()
                        .inNamespace(namespace.name())
                        .withName("ci-deployer")
                        .get()
                        .getMetadata()
                        .getAnnotations())
                .isNullOrEmpty();
    }

    /** A refused spec: a Warning Event with the reason, no role in IAM, no ServiceAccount, and the calls asked IAM nothing. */
    private void assertRefusedWithoutAws(String name, String reason) {
        assertThat(role(name)).as("no role in IAM").isEmpty();
        assertThat(client.serviceAccounts()
                        .inNamespace(namespace.name())
                        .withName(name)
                        .get())
                .as("no ServiceAccount")
                .isNull();
        await().atMost(MsdFixture.TIMEOUT)
                .untilAsserted(() -> assertThat(events()).anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo(reason);
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
                }));
        assertThat(proxy.calls())
                .as("IAM was asked nothing about the role")
                .noneMatch(c -> roleName(name).equals(c.roleName()));
    }

    private Condition awaitIdentity(String name, String reason) {
        MicroserviceDeployment msd = msds.awaitStatus(
                name,
                "AwsIdentity " + reason,
                s -> s.getConditions().stream()
                        .anyMatch(c -> c.getType().equals("AwsIdentity") && reason.equals(c.getReason())));
        return MsdFixture.condition(msd, "AwsIdentity");
    }

    private void awaitAnnotated(String serviceAccount, boolean annotated) {
        await().atMost(MsdFixture.TIMEOUT).untilAsserted(() -> {
            ServiceAccount sa = client.serviceAccounts()
                    .inNamespace(namespace.name())
                    .withName(serviceAccount)
                    .get();
            assertThat(sa).isNotNull();
            Map<String, String> annotations = sa.getMetadata().getAnnotations() == null
                    ? Map.of()
                    : sa.getMetadata().getAnnotations();
            assertThat(annotations.containsKey(WorkloadServiceAccountBuilder.ROLE_ARN))
                    .isEqualTo(annotated);
        });
    }

    private void label(String profile) {
        client.namespaces().withName(namespace.name()).edit(n -> {
            n.getMetadata().getLabels().put("blueshift.dev/guardrails", profile);
            return n;
        });
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(namespace.name()).list().getItems();
    }

    private String roleName(String msd) {
        return RoleNames.of(AwsEmulatorResource.CLUSTER_NAME, namespace.name(), msd);
    }

    private Optional<Role> role(String msd) {
        try {
            return Optional.of(iam.getRole(r -> r.roleName(roleName(msd))).role());
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    private String trustPolicy(String msd) {
        return URLDecoder.decode(role(msd).orElseThrow().assumeRolePolicyDocument(), StandardCharsets.UTF_8);
    }
}
