package dev.blueshift.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import dev.blueshift.operator.api.v1alpha1.spec.aws.DeletionPolicy;
import dev.blueshift.operator.aws.cloudwatch.AlarmNames;
import dev.blueshift.operator.aws.iam.GuardrailProfiles;
import dev.blueshift.operator.aws.iam.PolicyDocuments;
import dev.blueshift.operator.aws.iam.RoleNames;
import dev.blueshift.operator.aws.iam.RoleSync;
import dev.blueshift.operator.aws.iam.SdkIamRoles;
import dev.blueshift.operator.support.RepoPaths;
import dev.blueshift.operator.support.aws.AwsEmulator;
import dev.blueshift.operator.support.aws.AwsMsds;
import dev.blueshift.operator.support.aws.AwsTestClients;
import dev.blueshift.operator.support.aws.TestGuardrails;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * manifests/aws/blueshift-operator-iam.yaml, the operator's own IAM role: it passes cfn-lint, it
 * deploys, its policies say what they should (checked on the documents IAM holds, parsed), and the
 * operator's role code, running on that role's credentials, makes a bounded workload role.
 *
 * <p>moto does not evaluate IAM policies (every call with any credentials is allowed), so this test
 * cannot show that AWS refuses what the policy does not allow: the conditions and resource scopes
 * are asserted on the documents, and the run through the operator's code shows that the role is
 * enough for the operator and that the operator's names fall inside the scopes.
 */
@Tag("aws")
class OperatorRoleTemplateTest {
    static final Path TEMPLATE = RepoPaths.root().resolve("manifests/aws/blueshift-operator-iam.yaml");
    static final ObjectMapper JSON = new ObjectMapper();
    /** The role writes that carry iam:PermissionsBoundary in their request context (Service Authorization Reference, IAM). */
    static final Set<String> BOUNDARY_KEYED = Set.of(
            "iam:CreateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy");

    static final Set<String> OTHER_ROLE_WRITES =
            Set.of("iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole", "iam:DeleteRole");
    static final Set<String> ROLE_READS = Set.of(
            "iam:GetRole",
            "iam:ListRolePolicies",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:ListRoleTags");

    @Test
    void theTemplatePassesCfnLint() throws Exception {
        // The same command as `make cfn-lint`; hack/moto.sh install (run by make test, hack/services.sh
        // install and CI) installs the pinned cfn-lint in its virtual environment. Missing, it fails here:
        // a lint that is skipped proves nothing.
        Process lint = new ProcessBuilder(
                        "bash", RepoPaths.root().resolve("hack/moto.sh").toString(), "cfn-lint", TEMPLATE.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();
        assertThat(output)
                .as("cfn-lint is not installed: run hack/moto.sh install")
                .doesNotContain("cfn-lint is not installed");
        assertThat(lint.exitValue())
                .as("cfn-lint exit code (0 = no findings); output:%n%s", output)
                .isZero();
    }

    @Test
    void theStackGivesTheOperatorARoleThatCanOnlyWriteBoundedRolesAndTheOperatorsCodeWorksWithIt() throws Exception {
        AwsEmulator.proxy();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String cluster = "cfn-" + suffix;
        String issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/CFN" + suffix.toUpperCase();
        String issuerHostPath = issuer.substring("https://".length());
        String oidcProviderArn = "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":oidc-provider/" + issuerHostPath;
        String stackName = "blueshift-operator-iam-" + cluster;
        String template = Files.readString(TEMPLATE);
        AwsEmulator.registerOidcProvider(issuer);

        try (CloudFormationClient cfn = AwsTestClients.cloudFormation();
                IamClient iam = AwsTestClients.iam()) {
            cfn.createStack(r -> r.stackName(stackName)
                    .templateBody(template)
                    .capabilities(Capability.CAPABILITY_NAMED_IAM)
                    .parameters(
                            parameter("ClusterName", cluster),
                            parameter("OidcProviderArn", oidcProviderArn),
                            parameter("OidcIssuerHostPath", issuerHostPath)));
            Stack stack = awaitStack(cfn, stackName, StackStatus.CREATE_COMPLETE);
            Map<String, String> outputs =
                    stack.outputs().stream().collect(Collectors.toMap(Output::outputKey, Output::outputValue));
            String operatorRoleArn = outputs.get("OperatorRoleArn");
            String boundaryArn = outputs.get("WorkloadBoundaryArn");
            String rolePath = outputs.get("RolePath");
            assertThat(operatorRoleArn)
                    .isEqualTo(
                            "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/blueshift/blueshift-operator-" + cluster);
            assertThat(boundaryArn)
                    .isEqualTo("arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":policy/blueshift/blueshift-" + cluster
                            + "-workload-boundary");
            assertThat(rolePath).isEqualTo("/blueshift/");
            String operatorRoleName = operatorRoleArn.substring(operatorRoleArn.lastIndexOf('/') + 1);
            String workloadRoles = "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/blueshift/bs-*";
            String clusterAlarms = "arn:aws:cloudwatch:" + AwsEmulator.REGION + ":" + AwsEmulator.ACCOUNT_ID
                    + ":alarm:blueshift/" + cluster + "/*";
            try {
                // Trust: only the operator's ServiceAccount, through this cluster's OIDC provider, for STS.
                JsonNode trust = JSON.readTree(PolicyDocuments.decoded(
                        iam.getRole(r -> r.roleName(operatorRoleName)).role().assumeRolePolicyDocument()));
                assertThat(trust.get("Statement")).singleElement().satisfies(s -> {
                    assertThat(s.get("Effect").asText()).isEqualTo("Allow");
                    assertThat(s.at("/Principal/Federated").asText()).isEqualTo(oidcProviderArn);
                    assertThat(actions(s)).containsExactly("sts:AssumeRoleWithWebIdentity");
                    assertThat(JSON.convertValue(s.at("/Condition/StringEquals"), Map.class))
                            .isEqualTo(Map.of(
                                    issuerHostPath + ":sub", "system:serviceaccount:blueshift-system:blueshift",
                                    issuerHostPath + ":aud", "sts.amazonaws.com"));
                });

                // Permissions: one managed policy, read back from IAM.
                List<String> attached =
                        iam.listAttachedRolePolicies(r -> r.roleName(operatorRoleName)).attachedPolicies().stream()
                                .map(p -> p.policyArn())
                                .toList();
                assertThat(attached).hasSize(1);
                assertThat(iam.listRolePolicies(r -> r.roleName(operatorRoleName))
                                .policyNames())
                        .as("no inline policies")
                        .isEmpty();
                List<JsonNode> statements = statements(policyDocument(iam, attached.get(0)));
                List<JsonNode> allows = statements.stream()
                        .filter(s -> s.get("Effect").asText().equals("Allow"))
                        .toList();

                // Every Allow names its resources, except DescribeAlarms (see the template for why).
                assertThat(allows).allSatisfy(s -> {
                    if (!actions(s).equals(Set.of("cloudwatch:DescribeAlarms"))) {
                        assertThat(resources(s))
                                .as("resources of %s", s.get("Sid"))
                                .doesNotContain("*");
                    }
                    assertThat(actions(s)).as("actions of %s", s.get("Sid")).noneMatch(a -> a.contains("*"));
                });
                // Each role write that IAM checks against a boundary is allowed only with the workload
                // boundary, only on the operator's role names; the other role writes only on those names.
                for (String action : BOUNDARY_KEYED) {
                    assertThat(allows.stream().filter(s -> actions(s).contains(action)))
                            .as(action)
                            .singleElement()
                            .satisfies(s -> {
                                assertThat(resources(s)).containsExactly(workloadRoles);
                                assertThat(condition(s, "StringEquals", "iam:PermissionsBoundary"))
                                        .contains(boundaryArn);
                                assertThat(s.get("Condition").size()).isEqualTo(1);
                            });
                }
                for (String action : union(OTHER_ROLE_WRITES, ROLE_READS)) {
                    assertThat(allows.stream().filter(s -> actions(s).contains(action)))
                            .as(action)
                            .singleElement()
                            .satisfies(s -> assertThat(resources(s)).containsExactly(workloadRoles));
                }
                assertThat(allows.stream().filter(s -> actions(s).contains("iam:GetOpenIDConnectProvider")))
                        .singleElement()
                        .satisfies(s -> assertThat(resources(s)).containsExactly(oidcProviderArn));
                assertThat(allows.stream().filter(s -> actions(s).contains("cloudwatch:PutMetricAlarm")))
                        .singleElement()
                        .satisfies(s -> {
                            assertThat(actions(s))
                                    .containsExactlyInAnyOrder(
                                            "cloudwatch:PutMetricAlarm",
                                            "cloudwatch:DeleteAlarms",
                                            "cloudwatch:TagResource");
                            assertThat(resources(s)).containsExactly(clusterAlarms);
                        });
                // Nothing else is allowed.
                assertThat(allows.stream().flatMap(s -> actions(s).stream()).collect(Collectors.toSet()))
                        .isEqualTo(union(
                                BOUNDARY_KEYED,
                                OTHER_ROLE_WRITES,
                                ROLE_READS,
                                Set.of(
                                        "iam:GetOpenIDConnectProvider",
                                        "cloudwatch:PutMetricAlarm",
                                        "cloudwatch:DeleteAlarms",
                                        "cloudwatch:TagResource",
                                        "cloudwatch:DescribeAlarms")));
                // The explicit denies: never remove a boundary; never create or re-bound a role with another (or none).
                List<JsonNode> denies = statements.stream()
                        .filter(s -> s.get("Effect").asText().equals("Deny"))
                        .toList();
                assertThat(denies).anySatisfy(s -> {
                    assertThat(actions(s)).containsExactly("iam:DeleteRolePermissionsBoundary");
                    assertThat(resources(s)).containsExactly("*");
                    assertThat(s.has("Condition")).isFalse();
                });
                assertThat(denies).anySatisfy(s -> {
                    assertThat(actions(s)).contains("iam:CreateRole");
                    assertThat(resources(s)).containsExactly("*");
                    assertThat(condition(s, "StringNotEquals", "iam:PermissionsBoundary"))
                            .contains(boundaryArn);
                });

                // The boundary: everything, but no IAM, Organizations, account settings or role chaining.
                List<JsonNode> boundary = statements(policyDocument(iam, boundaryArn));
                assertThat(boundary).anySatisfy(s -> {
                    assertThat(s.get("Effect").asText()).isEqualTo("Allow");
                    assertThat(actions(s)).containsExactly("*");
                    assertThat(resources(s)).containsExactly("*");
                });
                assertThat(boundary.stream()
                                .filter(s -> s.get("Effect").asText().equals("Deny")
                                        && resources(s).equals(Set.of("*"))
                                        && !s.has("Condition"))
                                .flatMap(s -> actions(s).stream()))
                        .containsExactlyInAnyOrder("iam:*", "organizations:*", "account:*", "sts:AssumeRole");

                // The operator's code on the operator role's credentials (what IRSA gives its Pod).
                Credentials session;
                try (StsClient anonymous = AwsTestClients.sts(AnonymousCredentialsProvider.create())) {
                    session = anonymous
                            .assumeRoleWithWebIdentity(r -> r.roleArn(operatorRoleArn)
                                    .roleSessionName("blueshift-operator")
                                    .webIdentityToken("a-service-account-token-moto-does-not-verify"))
                            .credentials();
                }
                StaticCredentialsProvider operatorCredentials =
                        StaticCredentialsProvider.create(AwsSessionCredentials.create(
                                session.accessKeyId(), session.secretAccessKey(), session.sessionToken()));
                try (StsClient sts = AwsTestClients.sts(operatorCredentials)) {
                    assertThat(sts.getCallerIdentity().arn())
                            .as("the calls below are the operator role's")
                            .isEqualTo("arn:aws:sts::" + AwsEmulator.ACCOUNT_ID + ":assumed-role/" + operatorRoleName
                                    + "/blueshift-operator");
                }
                String namespace = "ns-" + suffix;
                MicroserviceDeployment msd = AwsMsds.withRoleAndAlarm(namespace, "cart");
                msd.getMetadata().setUid(UUID.randomUUID().toString());
                // The admin's guardrails, set from the stack's outputs as README says.
                GuardrailProfiles.Rules guardrails = new GuardrailProfiles.Rules(
                        TestGuardrails.rules(Map.of("permissions-boundary", boundaryArn, "role-path", rolePath)));
                AwsTarget target = new AwsTarget(cluster, AwsEmulator.ACCOUNT_ID, "aws", Optional.of(issuer));
                try (IamClient asOperator = AwsTestClients.iam(operatorCredentials)) {
                    RoleSync roles = new RoleSync(() -> new SdkIamRoles(asOperator));
                    SyncReport report = new SyncReport();
                    try {
                        Optional<String> workloadRoleArn = roles.sync(msd, "cart", target, guardrails, report);

                        assertThat(report.conditions())
                                .anySatisfy(c -> assertThat(c.type() + "=" + c.reason())
                                        .isEqualTo(AwsOutcome.IDENTITY + "=RoleReady"));
                        String roleName = RoleNames.of(cluster, namespace, "cart");
                        assertThat(workloadRoleArn)
                                .contains("arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":role/blueshift/" + roleName);
                        Role workloadRole =
                                iam.getRole(r -> r.roleName(roleName)).role();
                        assertThat(workloadRole.path()).isEqualTo(rolePath);
                        assertThat(workloadRole.permissionsBoundary().permissionsBoundaryArn())
                                .isEqualTo(boundaryArn);
                        // The names the operator uses fall inside the policy's scopes.
                        assertThat(matches(workloadRoles, workloadRole.arn()))
                                .as("%s within %s", workloadRole.arn(), workloadRoles)
                                .isTrue();
                        String alarmArn = "arn:aws:cloudwatch:" + AwsEmulator.REGION + ":" + AwsEmulator.ACCOUNT_ID
                                + ":alarm:" + AlarmNames.of(cluster, namespace, "cart", "errors", "0123456789");
                        assertThat(matches(clusterAlarms, alarmArn))
                                .as("%s within %s", alarmArn, clusterAlarms)
                                .isTrue();

                        assertThat(roles.delete(namespace, "cart", DeletionPolicy.Delete, target))
                                .endsWith("deleted");
                        assertThat(roleExists(iam, roleName)).isFalse();
                    } finally {
                        roles.delete(
                                namespace,
                                "cart",
                                DeletionPolicy.Delete,
                                target); // "already gone" when the test got this far
                    }
                }
            } finally {
                deleteStack(cfn, iam, stackName, operatorRoleName, boundaryArn);
                iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(oidcProviderArn));
            }
        }
    }

    private static void deleteStack(
            CloudFormationClient cfn, IamClient iam, String stackName, String operatorRoleName, String boundaryArn) {
        List<String> operatorPolicies =
                iam.listAttachedRolePolicies(r -> r.roleName(operatorRoleName)).attachedPolicies().stream()
                        .map(p -> p.policyArn())
                        .toList();
        // moto deletes the role before the policy attached to it and fails with DeleteConflict (AWS
        // deletes the policy first: it depends on the role). Detaching it first lets moto go on.
        operatorPolicies.forEach(
                arn -> iam.detachRolePolicy(r -> r.roleName(operatorRoleName).policyArn(arn)));
        cfn.deleteStack(r -> r.stackName(stackName));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cfn.listStacks().stackSummaries().stream()
                        .anyMatch(s ->
                                s.stackName().equals(stackName) && s.stackStatus() == StackStatus.DELETE_COMPLETE));
        assertThat(roleExists(iam, operatorRoleName))
                .as("operator role after the stack's deletion")
                .isFalse();
        // moto leaves a stack's AWS::IAM::ManagedPolicy resources behind (AWS deletes them): removed here.
        List<String> policies = new ArrayList<>(operatorPolicies);
        policies.add(boundaryArn);
        for (String arn : policies) {
            try {
                iam.deletePolicy(r -> r.policyArn(arn));
            } catch (NoSuchEntityException e) {
                // a moto that deletes them did so already
            }
        }
    }

    private static Stack awaitStack(CloudFormationClient cfn, String stackName, StackStatus wanted) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !cfn.describeStacks(r -> r.stackName(stackName))
                        .stacks()
                        .get(0)
                        .stackStatusAsString()
                        .endsWith("_IN_PROGRESS"));
        Stack stack = cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0);
        assertThat(stack.stackStatus())
                .as("stack status (%s)", stack.stackStatusReason())
                .isEqualTo(wanted);
        return stack;
    }

    private static Parameter parameter(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static JsonNode policyDocument(IamClient iam, String policyArn) throws IOException {
        String version = iam.getPolicy(r -> r.policyArn(policyArn)).policy().defaultVersionId();
        return JSON.readTree(PolicyDocuments.decoded(
                iam.getPolicyVersion(r -> r.policyArn(policyArn).versionId(version))
                        .policyVersion()
                        .document()));
    }

    private static List<JsonNode> statements(JsonNode document) {
        JsonNode statement = document.get("Statement");
        return statement.isArray()
                ? StreamSupport.stream(statement.spliterator(), false).toList()
                : List.of(statement);
    }

    /** A policy element that may be one string or a list of them. */
    private static Set<String> strings(JsonNode node) {
        if (node == null) {
            return Set.of();
        }
        return node.isArray()
                ? StreamSupport.stream(node.spliterator(), false)
                        .map(JsonNode::asText)
                        .collect(Collectors.toSet())
                : Set.of(node.asText());
    }

    private static Set<String> actions(JsonNode statement) {
        return strings(statement.get("Action"));
    }

    private static Set<String> resources(JsonNode statement) {
        return strings(statement.get("Resource"));
    }

    private static Set<String> condition(JsonNode statement, String operator, String key) {
        return strings(statement.path("Condition").path(operator).get(key));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return java.util.Arrays.stream(sets).flatMap(Set::stream).collect(Collectors.toSet());
    }

    /** IAM's resource matching: '*' is any run of characters, '?' one, everything else literal. */
    private static boolean matches(String pattern, String arn) {
        String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return arn.matches(regex);
    }

    private static boolean roleExists(IamClient iam, String roleName) {
        try {
            iam.getRole(r -> r.roleName(roleName));
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }
}
