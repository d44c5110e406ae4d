package dev.blueshift.operator.support.aws;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;

/**
 * The AWS emulator for a whole operator process rather than a test (the demo): the translating
 * proxy in front of moto on a fixed port, with the cluster's OIDC provider registered, until the
 * process is stopped. Run by {@code hack/moto.sh proxy-up}.
 *
 * <p>Arguments: the proxy's port, moto's URL, the OIDC issuer to register.
 */
public final class AwsEmulatorMain {
    private AwsEmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: AwsEmulatorMain PORT MOTO_URL OIDC_ISSUER");
            System.exit(2);
        }
        // The SDK's default credentials chain reads these; moto checks no signature.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", AwsEmulator.REGION);
        AwsEmulatorProxy proxy = new AwsEmulatorProxy(URI.create(args[1]), Integer.parseInt(args[0]));
        // What a cluster admin does once per cluster (eksctl utils associate-iam-oidc-provider).
        try (IamClient iam = IamClient.builder()
                .region(Region.AWS_GLOBAL)
                .endpointOverride(proxy.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
            iam.createOpenIDConnectProvider(r -> r.url(args[2])
                    .clientIDList("sts.amazonaws.com")
                    .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
        } catch (EntityAlreadyExistsException e) {
            // registered by an earlier run against the same moto
        }
        System.out.println("AWS emulator proxy on " + proxy.endpoint() + " in front of " + args[1]);
        Thread.currentThread().join();
    }
}
