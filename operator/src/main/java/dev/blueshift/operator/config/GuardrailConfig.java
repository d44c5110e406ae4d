package dev.blueshift.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cluster admin lets an MSD ask of IAM, {@code blueshift.guardrails.*} (environment:
 * BLUESHIFT_GUARDRAILS_*). The top-level rules apply to every namespace; a namespace labelled
 * {@code blueshift.dev/guardrails=<profile>} gets the rules of
 * {@code blueshift.guardrails.profiles.<profile>.*} instead (each unset key of a profile has the
 * same default as the top level). Only the admin sets these: an MSD author cannot label a
 * Namespace or change the operator's settings. A list set to {@code none} is empty.
 */
@ConfigMapping(prefix = "blueshift.guardrails")
public interface GuardrailConfig {
    /** The namespace label whose value names a profile. */
    @WithDefault("blueshift.dev/guardrails")
    String namespaceLabel();

    @WithParentName
    Rules rules();

    Map<String, Rules> profiles();

    interface Rules {
        /**
         * Managed policies an MSD may attach, as ARN patterns ({@code *} and {@code ?}). Default: the
         * AWS-managed policies; a customer-managed policy of the account only when listed here.
         */
        @WithDefault("arn:*:iam::aws:policy/*")
        List<String> allowedManagedPolicies();

        /**
         * Managed policies never attached, whatever the allowed patterns say: the admin-class ones.
         * An allowed entry naming an exact ARN (no wildcard) still allows that one policy.
         */
        @WithDefault("arn:*:iam::aws:policy/AdministratorAccess*,arn:*:iam::aws:policy/PowerUserAccess,"
                + "arn:*:iam::aws:policy/IAMFullAccess,arn:*:iam::aws:policy/job-function/*,"
                + "arn:*:iam::aws:policy/AWSOrganizationsFullAccess,arn:*:iam::aws:policy/AWSCloudFormationFullAccess,"
                + "arn:*:iam::aws:policy/AWSSSO*")
        List<String> deniedManagedPolicies();

        /**
         * The permissions boundary the operator puts on every role it creates or manages. An MSD
         * cannot remove or replace it (its own spec.aws.iam.permissionsBoundary must be absent or
         * equal); a role's boundary is never removed as drift.
         */
        Optional<String> permissionsBoundary();

        /** Actions (patterns) an Allow statement of an MSD's inline policy may not grant, even through a wildcard. */
        @WithDefault("iam:*,organizations:*,account:*")
        List<String> deniedInlineActions();

        /** Actions an Allow statement may grant only on named resources, never on a wildcard resource or NotResource. */
        @WithDefault("sts:AssumeRole")
        List<String> deniedInlineActionsOnAnyResource();

        /** IAM path every role is created under (the MSD's spec.aws.iam.path goes below it). */
        @WithDefault("/blueshift/")
        String rolePath();

        /** Whether blueshift.dev/adopt-role may take over an existing untagged role of the derived name. */
        @WithDefault("false")
        boolean allowRoleAdoption();
    }
}
