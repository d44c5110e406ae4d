package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.support.RepoPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The AWS API emulator the tests use: moto's server on 127.0.0.1 (started by `hack/moto.sh up`
 * when it does not answer), reached through one {@link AwsEmulatorProxy} per test JVM.
 */
public final class AwsEmulator {
    /** moto's default account. */
    public static final String ACCOUNT_ID = "123456789012";

    public static final String REGION = "us-east-1";

    private static AwsEmulatorProxy proxy;

    private AwsEmulator() {}

    public static synchronized AwsEmulatorProxy proxy() {
        if (proxy == null) {
            URI moto = URI.create("http://127.0.0.1:" + port());
            if (!answers(moto)) {
                run("bash", "hack/moto.sh", "install");
                run("bash", "hack/moto.sh", "up");
            }
            if (!answers(moto)) {
                throw new IllegalStateException("moto does not answer on " + moto + " after hack/moto.sh up");
            }
            // The SDK's default credentials chain reads these; moto checks no signature.
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            System.setProperty("aws.region", REGION);
            proxy = new AwsEmulatorProxy(moto);
            registerOidcProvider(AwsEmulatorResource.OIDC_ISSUER);
        }
        return proxy;
    }

    /** What a cluster admin does once per cluster (eksctl utils associate-iam-oidc-provider). */
    public static void registerOidcProvider(String issuer) {
        try (var iam = AwsTestClients.iam()) {
            iam.createOpenIDConnectProvider(r -> r.url(issuer)
                    .clientIDList("sts.amazonaws.com")
                    .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
        } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
            // registered by an earlier run against the same moto
        }
    }

    static String port() {
        return Optional.ofNullable(System.getenv("BLUESHIFT_MOTO_PORT")).orElse("15000");
    }

    private static boolean answers(URI moto) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(moto.resolve("/moto-api/"))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(RepoPaths.root().toFile())
                    .inheritIO()
                    .start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with exit code " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
