package dev.blueshift.operator.aws.iam;

/**
 * Why the guardrails refuse what an MSD asks of IAM: a condition reason, the field at fault and a
 * message for the MSD's author.
 */
public record GuardrailRefusal(String reason, String field, String message) {
    public static final String POLICY_NOT_ALLOWED = "PolicyNotAllowed";
    public static final String INLINE_POLICY_NOT_ALLOWED = "InlinePolicyNotAllowed";
    public static final String BOUNDARY_NOT_ALLOWED = "PermissionsBoundaryNotAllowed";
    public static final String ADOPTION_NOT_ALLOWED = "RoleAdoptionNotAllowed";
    public static final String PROFILE_UNKNOWN = "GuardrailProfileUnknown";
}
