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

  @Override
  public Map<String, String> start() {
    AwsEmulatorProxy proxy = AwsEmulator.proxy();
    return Map.ofEntries(
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

  @Override
  public void stop() {
    // The proxy lives as long as the JVM; moto outlives the run (hack/moto.sh down stops it).
  }
}
