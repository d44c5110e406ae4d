package dev.blueshift.operator.aws;

import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Which AWS errors a retry cannot fix (the spec or the account must change first), and how to say
 * an error to a user. Pure.
 */
public final class AwsErrors {
    /** Errors about what we asked for, not about AWS's health: retrying the same request fails again. */
    static final Set<String> TERMINAL = Set.of(
            "MalformedPolicyDocument",
            "InvalidInput",
            "ValidationError",
            "NoSuchEntity",
            "PolicyNotAttachable",
            "UnmodifiableEntity",
            "LimitExceeded",
            "InvalidParameterValue",
            "InvalidParameterCombination",
            "AccessDenied",
            "AccessDeniedException",
            "UnrecognizedClientException",
            "InvalidClientTokenId");

    private AwsErrors() {}

    public static boolean isTerminal(Throwable e) {
        return e instanceof AwsServiceException aws
                && aws.awsErrorDetails() != null
                && TERMINAL.contains(aws.awsErrorDetails().errorCode());
    }

    /** A short reason for a condition: AWS's error code, or AwsUnavailable when AWS did not answer well. */
    public static String reason(Throwable e) {
        if (e instanceof AwsServiceException aws
                && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return isTerminal(e) ? aws.awsErrorDetails().errorCode() : "AwsUnavailable";
        }
        return "AwsUnavailable";
    }

    /** AWS's own words (code and message) for a failed call. */
    public static String describe(Throwable e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": "
                    + Objects.requireNonNullElse(aws.awsErrorDetails().errorMessage(), "") + " (HTTP "
                    + aws.statusCode() + ")";
        }
        if (e instanceof SdkException) {
            return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
