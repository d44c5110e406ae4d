package dev.blueshift.operator.support.aws;

import dev.blueshift.operator.api.v1alpha1.MicroserviceDeployment;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The tests' own AWS clients, through the proxy but marked as the tests' (no faults, not counted):
 * to look at what the operator made, to change it behind its back, and to drive alarm states.
 */
public final class AwsTestClients {
    private AwsTestClients() {}

    public static IamClient iam() {
        return IamClient.builder()
                .region(Region.AWS_GLOBAL)
                .endpointOverride(AwsEmulator.proxy().endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MarkAsTestClient()))
                .build();
    }

    /** IAM as another principal would call it: the credentials of an assumed role, for example. */
    public static IamClient iam(AwsCredentialsProvider credentials) {
        return IamClient.builder()
                .region(Region.AWS_GLOBAL)
                .endpointOverride(AwsEmulator.proxy().endpoint())
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MarkAsTestClient()))
                .build();
    }

    public static StsClient sts(AwsCredentialsProvider credentials) {
        return StsClient.builder()
                .region(Region.of(AwsEmulator.REGION))
                .endpointOverride(AwsEmulator.proxy().endpoint())
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MarkAsTestClient()))
                .build();
    }

    /** moto's CloudFormation, which creates IAM resources in the same moto. */
    public static CloudFormationClient cloudFormation() {
        return CloudFormationClient.builder()
                .region(Region.of(AwsEmulator.REGION))
                .endpointOverride(AwsEmulator.proxy().endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MarkAsTestClient()))
                .build();
    }

    public static CloudWatchClient cloudWatch() {
        return CloudWatchClient.builder()
                .region(Region.of(AwsEmulator.REGION))
                .endpointOverride(AwsEmulator.proxy().endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MarkAsTestClient()))
                .build();
    }

    /**
     * Sets an alarm's state as CloudWatch would after evaluating it (moto never evaluates alarms): the
     * way tests make a release look bad (ALARM) or good (OK).
     */
    public static void setAlarmState(CloudWatchClient cloudWatch, String alarmName, StateValue state, String reason) {
        cloudWatch.setAlarmState(r -> r.alarmName(alarmName).stateValue(state).stateReason(reason));
    }

    /**
     * Sets the state of an MSD's alarm for one revision, found by the name the operator reports in
     * status.aws.alarms: how rollback tests make a release look bad. Returns the alarm's full name.
     */
    public static String setAlarmState(
            CloudWatchClient cloudWatch,
            MicroserviceDeployment msd,
            String alarm,
            String revision,
            StateValue state,
            String reason) {
        String alarmName = msd.getStatus() == null || msd.getStatus().getAws() == null
                ? null
                : msd.getStatus().getAws().getAlarms().stream()
                        .filter(a ->
                                a.getName().equals(alarm) && a.getRevision().equals(revision))
                        .map(a -> a.getAlarmName())
                        .findFirst()
                        .orElse(null);
        if (alarmName == null) {
            throw new IllegalArgumentException(
                    "MSD " + msd.getMetadata().getName() + " reports no alarm " + alarm + " for revision " + revision);
        }
        setAlarmState(cloudWatch, alarmName, state, reason);
        return alarmName;
    }

    /** Sets every listed alarm's state at once. */
    public static void setAlarmStates(CloudWatchClient cloudWatch, Map<String, StateValue> states, String reason) {
        states.forEach((name, state) -> setAlarmState(cloudWatch, name, state, reason));
    }

    private static final class MarkAsTestClient implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder()
                    .putHeader(AwsEmulatorProxy.TEST_CLIENT_HEADER, "true")
                    .build();
        }
    }
}
