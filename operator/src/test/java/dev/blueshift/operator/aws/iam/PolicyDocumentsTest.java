package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDocumentsTest {
    static final String TRUST = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X"},\
      "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.example/id/X:sub":"system:serviceaccount:shop:cart",\
      "oidc.example/id/X:aud":"sts.amazonaws.com"}}}]}""";

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("keys reordered", """
            {"Statement":[{"Condition":{"StringEquals":{"oidc.example/id/X:aud":"sts.amazonaws.com",\
            "oidc.example/id/X:sub":"system:serviceaccount:shop:cart"}},"Action":"sts:AssumeRoleWithWebIdentity",\
            "Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X"},"Effect":"Allow"}],"Version":"2012-10-17"}"""),
                Arguments.of("one-element lists and a lone statement", """
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":\
            ["arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X"]},"Action":["sts:AssumeRoleWithWebIdentity"],\
            "Condition":{"StringEquals":{"oidc.example/id/X:sub":["system:serviceaccount:shop:cart"],"oidc.example/id/X:aud":"sts.amazonaws.com"}}}}"""),
                Arguments.of("pretty printed", """
            {
              "Version": "2012-10-17",
              "Statement": [ { "Effect": "Allow",
                "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X" },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": { "StringEquals": { "oidc.example/id/X:sub": "system:serviceaccount:shop:cart",
                  "oidc.example/id/X:aud": "sts.amazonaws.com" } } } ]
            }"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void spellingsOfTheSamePolicyAreNoChange(String spelling, String document) {
        assertThat(PolicyDocuments.equivalent(TRUST, document)).as(spelling).isTrue();
    }

    @org.junit.jupiter.api.Test
    void theUrlEncodedDocumentIamReturnsIsNoChange() {
        String encoded = URLEncoder.encode(TRUST, StandardCharsets.UTF_8);
        assertThat(PolicyDocuments.equivalent(TRUST, encoded)).isTrue();
        assertThat(PolicyDocuments.decoded(encoded)).isEqualTo(TRUST);
    }

    @org.junit.jupiter.api.Test
    void reorderedArraysAndDuplicatesAreNoChange() {
        String a =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}]}";
        String b =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:GetObject\"],\"Resource\":[\"*\"]}]}";
        assertThat(PolicyDocuments.equivalent(a, b)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      another service account | system:serviceaccount:shop:cart | system:serviceaccount:shop:other
      another audience        | sts.amazonaws.com               | sts.example.com
      another namespace       | system:serviceaccount:shop:cart | system:serviceaccount:shop2:cart
      """)
    void realDifferencesAreChanges(String what, String from, String to) {
        assertThat(PolicyDocuments.equivalent(TRUST, TRUST.replace(from, to)))
                .as(what)
                .isFalse();
    }

    @org.junit.jupiter.api.Test
    void anExtraActionIsAChange() {
        String a = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        String b =
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}]}";
        assertThat(PolicyDocuments.equivalent(a, b)).isFalse();
    }
}
