package dev.blueshift.operator.analysis;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs a Prometheus query with AWS SigV4 (service aps), as Amazon Managed Service for Prometheus requires. */
final class PrometheusSigner {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final Supplier<? extends AwsCredentialsIdentity> credentials;

    PrometheusSigner(Supplier<? extends AwsCredentialsIdentity> credentials) {
        this.credentials = credentials;
    }

    /** Adds the SigV4 headers for a GET of {@code uri} to {@code request}. */
    void sign(HttpRequest.Builder request, URI uri, String region) {
        SdkHttpRequest unsigned =
                SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.get())
                .request(unsigned)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "aps")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) { // the HTTP client sets Host itself, from the same URI
                values.forEach(value -> request.header(name, value));
            }
        });
    }
}
