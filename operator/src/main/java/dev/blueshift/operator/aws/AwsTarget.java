package dev.blueshift.operator.aws;

import java.net.URI;
import java.util.Optional;

/**
 * Where the operator's AWS resources live: the cluster's name (part of every name and ownership
 * tag), the account, the partition and the cluster's OIDC issuer (for IRSA trust policies).
 */
public record AwsTarget(String clusterName, String accountId, String partition, Optional<String> oidcIssuer) {
    /** ARN of the cluster's OIDC provider in IAM, the Federated principal of every IRSA trust policy. */
    public Optional<String> oidcProviderArn() {
        return issuerHostPath()
                .map(hostPath -> "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + hostPath);
    }

    /** The issuer without its scheme, as IAM names the OIDC provider: oidc.eks.REGION.amazonaws.com/id/ID. */
    public Optional<String> issuerHostPath() {
        return oidcIssuer.map(issuer -> {
            URI uri = URI.create(issuer);
            String hostPath = uri.getHost() + (uri.getPath() == null ? "" : uri.getPath());
            return hostPath.endsWith("/") ? hostPath.substring(0, hostPath.length() - 1) : hostPath;
        });
    }
}
