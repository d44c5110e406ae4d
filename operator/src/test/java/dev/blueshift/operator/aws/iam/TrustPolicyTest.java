package dev.blueshift.operator.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrustPolicyTest {
    @Test
    void onlyTheClustersOidcProviderMayAssumeTheRoleForExactlyOneServiceAccount() throws Exception {
        JsonNode doc = new ObjectMapper()
                .readTree(TrustPolicy.irsa(
                        "aws", "123456789012", "oidc.eks.eu-west-1.amazonaws.com/id/ABC", "shop", "cart"));

        assertThat(doc.get("Version").asText()).isEqualTo("2012-10-17");
        JsonNode statement = doc.get("Statement").get(0);
        assertThat(doc.get("Statement")).hasSize(1);
        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.get("Principal").get("Federated").asText())
                .isEqualTo("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC");
        assertThat(statement.get("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
        JsonNode equals = statement.get("Condition").get("StringEquals");
        assertThat(equals.get("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub").asText())
                .isEqualTo("system:serviceaccount:shop:cart");
        assertThat(equals.get("oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud").asText())
                .isEqualTo("sts.amazonaws.com");
    }
}
