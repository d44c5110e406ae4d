package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardsTest {
    @ParameterizedTest(name = "{0} and {1} overlap: {2}")
    @CsvSource({
        "iam:*, iam:*, true",
        "*, iam:*, true",
        "i*, iam:*, true",
        "*:PassRole, iam:*, true",
        "iam:Cre*, iam:*, true",
        "IAM:CreateRole, iam:*, true",
        "i?m:*, iam:*, true",
        "*:*, iam:*, true",
        "s3:GetObject, iam:*, false",
        "s3:*, iam:*, false",
        "s*, sts:AssumeRole, true",
        "sts:AssumeRoleWithWebIdentity, sts:AssumeRole, false",
        "sts:Assume*, sts:AssumeRole, true",
        "sts:GetCallerIdentity, sts:AssumeRole, false",
        "*Role, sts:AssumeRole, true",
        "*x, sts:AssumeRole, false",
    })
    void actionPatternsOverlapWhenSomeActionMatchesBoth(String action, String denied, boolean overlap) {
        assertThat(Wildcards.overlap(action, denied, true)).isEqualTo(overlap);
        assertThat(Wildcards.overlap(denied, action, true)).as("symmetric").isEqualTo(overlap);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "arn:*:iam::aws:policy/*, arn:aws:iam::aws:policy/ReadOnlyAccess, true",
        "arn:*:iam::aws:policy/*, arn:aws:iam::123456789012:policy/mine, false",
        "arn:*:iam::aws:policy/AdministratorAccess*, arn:aws:iam::aws:policy/AdministratorAccess, true",
        "arn:*:iam::aws:policy/AdministratorAccess*, arn:aws:iam::aws:policy/AdministratorAccess-Amplify, true",
        "arn:*:iam::aws:policy/job-function/*, arn:aws:iam::aws:policy/job-function/SystemAdministrator, true",
        "arn:*:iam::aws:policy/IAMFullAccess, arn:aws:iam::aws:policy/iamfullaccess, false",
        "arn:*:iam::aws:policy/*, arn:aws:iam::aws:policy/*, false",
    })
    void anArnMatchesAPatternCaseSensitivelyAndAWildcardIsNoLiteral(String pattern, String arn, boolean matches) {
        assertThat(Wildcards.matches(pattern, arn, false)).isEqualTo(matches);
    }
}
