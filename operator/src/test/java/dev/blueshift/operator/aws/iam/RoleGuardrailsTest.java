package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blueshift.operator.api.v1alpha1.spec.aws.IamRoleSpec;
import dev.blueshift.operator.support.aws.TestGuardrails;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the admin's guardrails refuse of spec.aws.iam, with the default settings unless a case says otherwise. */
class RoleGuardrailsTest {
    static final Guardrails DEFAULTS = TestGuardrails.rules(Map.of());
    static final String BOUNDARY = "arn:aws:iam::123456789012:policy/workload-boundary";

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "arn:aws:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
                "arn:aws:iam::aws:policy/PowerUserAccess",
                "arn:aws:iam::aws:policy/IAMFullAccess",
                "arn:aws:iam::aws:policy/job-function/SystemAdministrator",
                "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess",
                "arn:aws-cn:iam::aws:policy/AdministratorAccess",
                "arn:aws:iam::123456789012:policy/customer-made-admin",
            })
    void byDefaultAdminClassAndCustomerManagedPoliciesAreRefused(String arn) {
        Optional<GuardrailRefusal> refusal = RoleGuardrails.check(managed(arn), DEFAULTS);

        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("PolicyNotAllowed");
            assertThat(r.field()).isEqualTo("spec.aws.iam.managedPolicyArns");
            assertThat(r.message()).contains(arn, "blueshift.guardrails.", "Nothing was created");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"})
    void byDefaultOtherAwsManagedPoliciesAreAllowed(String arn) {
        assertThat(RoleGuardrails.check(managed(arn), DEFAULTS)).isEmpty();
    }

    @Test
    void anAdminOpensUpByNamingAPolicyExactlyOrByEmptyingTheDeniedList() {
        Guardrails named = TestGuardrails.rules(
                Map.of(
                        "allowed-managed-policies",
                        "arn:*:iam::aws:policy/*,arn:aws:iam::aws:policy/PowerUserAccess,arn:aws:iam::123456789012:policy/team-*"));
        assertThat(RoleGuardrails.check(managed("arn:aws:iam::aws:policy/PowerUserAccess"), named))
                .isEmpty();
        assertThat(RoleGuardrails.check(managed("arn:aws:iam::123456789012:policy/team-reader"), named))
                .isEmpty();
        assertThat(RoleGuardrails.check(managed("arn:aws:iam::aws:policy/AdministratorAccess"), named))
                .as("a wildcard never opens an admin-class policy")
                .isPresent();

        Guardrails open = TestGuardrails.rules(Map.of("denied-managed-policies", "none"));
        assertThat(RoleGuardrails.check(managed("arn:aws:iam::aws:policy/AdministratorAccess"), open))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}|grants iam:*",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}}|grants iam:*",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"iam:PassRole\"],\"Resource\":\"*\"}]}|iam:PassRole",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*:PutRolePolicy\",\"Resource\":\"*\"}]}|*:PutRolePolicy",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"i*\",\"Resource\":\"*\"}]}|i*",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}|organizations:*",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}]}|NotAction",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}|on a wildcard resource",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:*\",\"Resource\":\"arn:aws:iam::*:role/*\"}]}|on a wildcard resource",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"NotResource\":\"arn:aws:iam::1:role/x\"}]}|on a wildcard resource",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}|duplicate keys",
                "not json|not a JSON policy document",
            })
    void inlinePoliciesThatGrantIamOrEverythingOrAssumeAnyRoleAreRefused(String document, String why) {
        Optional<GuardrailRefusal> refusal = RoleGuardrails.check(inline(document), DEFAULTS);

        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("InlinePolicyNotAllowed");
            assertThat(r.field()).isEqualTo("spec.aws.iam.inlinePolicy");
            assertThat(r.message()).contains(why);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sqs:SendMessage\",\"s3:*\"],\"Resource\":\"*\"}]}",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::123456789012:role/reporting\"}]}",
                "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                "{\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}]}",
            })
    void inlinePoliciesOfOrdinaryWorkloadsPass(String document) {
        assertThat(RoleGuardrails.check(inline(document), DEFAULTS)).isEmpty();
    }

    @Test
    void theAdminsBoundaryIsAlwaysTheRolesAndAnMsdCannotReplaceIt() {
        Guardrails bounded = TestGuardrails.rules(Map.of("permissions-boundary", BOUNDARY));
        IamRoleSpec own = new IamRoleSpec();
        own.setPermissionsBoundary("arn:aws:iam::123456789012:policy/wide-open");

        assertThat(RoleGuardrails.check(own, bounded)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("PermissionsBoundaryNotAllowed");
            assertThat(r.message()).contains("spec.aws.iam.permissionsBoundary", BOUNDARY);
        });
        assertThat(RoleGuardrails.boundary(new IamRoleSpec(), bounded)).contains(BOUNDARY);
        own.setPermissionsBoundary(BOUNDARY);
        assertThat(RoleGuardrails.check(own, bounded)).isEmpty();
        own.setPermissionsBoundary("arn:aws:iam::123456789012:policy/narrow");
        assertThat(RoleGuardrails.boundary(own, DEFAULTS))
                .as("without an admin boundary the MSD's own applies")
                .contains("arn:aws:iam::123456789012:policy/narrow");
    }

    @ParameterizedTest(name = "{0} under {1} is {2}")
    @CsvSource({
        "/, /blueshift/, /blueshift/",
        "/payments/, /blueshift/, /blueshift/payments/",
        "/blueshift/payments/, /blueshift/, /blueshift/payments/",
        "/payments/, /, /payments/",
        "/payments/, teams, /teams/payments/",
    })
    void theRoleLivesUnderTheAdminsPath(String own, String admins, String path) {
        IamRoleSpec spec = new IamRoleSpec();
        spec.setPath(own);
        assertThat(RoleGuardrails.path(spec, TestGuardrails.rules(Map.of("role-path", admins))))
                .isEqualTo(path);
    }

    @Test
    void adoptionIsRefusedUnlessTheAdminAllowsItAndThenOnlyUnderTheAdminsPath() {
        assertThat(RoleGuardrails.adoption("arn:aws:iam::1:role/blueshift/bs-x", "/blueshift/", DEFAULTS))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("RoleAdoptionNotAllowed"));
        Guardrails adopting = TestGuardrails.rules(Map.of("allow-role-adoption", "true"));
        assertThat(RoleGuardrails.adoption("arn:aws:iam::1:role/blueshift/bs-x", "/blueshift/", adopting))
                .isEmpty();
        assertThat(RoleGuardrails.adoption("arn:aws:iam::1:role/bs-x", "/", adopting))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("outside the path /blueshift/"));
    }

    private static IamRoleSpec managed(String arn) {
        IamRoleSpec spec = new IamRoleSpec();
        spec.setManagedPolicyArns(List.of(arn));
        return spec;
    }

    private static IamRoleSpec inline(String document) {
        IamRoleSpec spec = new IamRoleSpec();
        spec.setInlinePolicy(document);
        return spec;
    }
}
