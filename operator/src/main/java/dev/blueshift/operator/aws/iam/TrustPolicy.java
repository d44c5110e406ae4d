package dev.blueshift.operator.aws.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IRSA trust policy: only the cluster's OIDC provider may assume the role, by web identity, for
 * exactly one ServiceAccount, with the STS audience. Pure.
 */
public final class TrustPolicy {
    public static final String AUDIENCE = "sts.amazonaws.com";

    private TrustPolicy() {}

    public static String irsa(
            String partition, String accountId, String issuerHostPath, String namespace, String serviceAccount) {
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put(issuerHostPath + ":sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        equals.put(issuerHostPath + ":aud", AUDIENCE);
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put(
                "Principal",
                Map.of("Federated", "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + issuerHostPath));
        statement.put("Action", "sts:AssumeRoleWithWebIdentity");
        statement.put("Condition", Map.of("StringEquals", equals));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(statement));
        return PolicyDocuments.toJson(document);
    }
}
