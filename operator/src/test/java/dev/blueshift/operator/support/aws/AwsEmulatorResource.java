package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.support.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the operator under test at the AWS emulator (through the proxy), with short intervals
 * and timeouts so that retries, backoff, resyncs and alarm polls happen within a test.
 */
public class AwsEmulatorResource implements QuarkusTestResourceLifecycleManager {
    /** The OIDC issuer the operator under test writes into trust policies. */
    public static final String OIDC_ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/BLUESHIFTTEST0000";
    /** Unique per run, so that runs sharing one moto never see each other's roles and alarms. */
    public static final String CLUSTER_NAME = "test-" + LocalControlPlane.RUN_ID;
    /** The permissions boundary the admin of the operator under test puts on every role (top-level rules). */
    public static final String BOUNDARY_NAME = "blueshift-test-workload-boundary";

    public static final String BOUNDARY = "arn:aws:iam::" + AwsEmulator.ACCOUNT_ID + ":policy/" + BOUNDARY_NAME;
    /** Guardrail profiles a test selects by labelling its namespace blueshift.dev/guardrails=NAME. */
    public static final String PROFILE_ADOPTING = "adopting";

    public static final String PROFILE_OPEN = "open";

    @Override
    public Map<String, String> start() {
        AwsEmulatorProxy proxy = AwsEmulator.proxy();
        createBoundaryPolicy();
        return Map.ofEntries(
                // Guardrails: the defaults plus a boundary; one profile that may adopt roles (no boundary),
                // one that opens the admin-class policies.
                Map.entry("blueshift.guardrails.permissions-boundary", BOUNDARY),
                Map.entry("blueshift.guardrails.profiles." + PROFILE_ADOPTING + ".allow-role-adoption", "true"),
                Map.entry("blueshift.guardrails.profiles." + PROFILE_OPEN + ".denied-managed-policies", "none"),
                Map.entry("blueshift.aws.endpoint", proxy.endpoint().toString()),
                Map.entry("blueshift.aws.region", AwsEmulator.REGION),
                Map.entry("blueshift.aws.oidc-issuer", OIDC_ISSUER),
                Map.entry("blueshift.aws.cluster-name", CLUSTER_NAME),
                Map.entry("blueshift.aws.max-attempts", "4"),
                Map.entry("blueshift.aws.retry-base-delay", "50ms"),
                Map.entry("blueshift.aws.retry-max-backoff", "400ms"),
                Map.entry("blueshift.aws.api-call-attempt-timeout", "2s"),
                Map.entry("blueshift.aws.api-call-timeout", "15s"),
                Map.entry("blueshift.aws.alarm-poll-interval", "1s"),
                Map.entry("blueshift.aws.resync-interval", "3s"),
                // One MSD's AWS work at a time, so that a test can watch another one wait for its turn.
                Map.entry("blueshift.aws.max-concurrent-syncs", "1"));
    }

    private static void createBoundaryPolicy() {
        try (var iam = AwsTestClients.iam()) {
            iam.createPolicy(
                    r -> r.policyName(BOUNDARY_NAME)
                            .policyDocument(
                                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                                            + "{\"Effect\":\"Deny\",\"Action\":[\"iam:*\",\"organizations:*\"],\"Resource\":\"*\"}]}"));
        } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
            // made by an earlier run against the same moto
        }
    }

    @Override
    public void stop() {
        // The proxy lives as long as the JVM; moto outlives the run (hack/moto.sh down stops it).
    }
}
