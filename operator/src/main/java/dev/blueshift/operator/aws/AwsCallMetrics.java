package dev.blueshift.operator.aws;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS calls by service, operation and outcome ({@code blueshift_aws_calls_total}), and the
 * attempts they took ({@code blueshift_aws_call_attempts_total}: retries show as attempts > calls).
 */
public class AwsCallMetrics implements ExecutionInterceptor {
    public static final String CALLS = "blueshift.aws.calls";
    public static final String ATTEMPTS = "blueshift.aws.call.attempts";

    private final MeterRegistry registry;

    public AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        registry.counter(ATTEMPTS, "service", service(attributes), "operation", operation(attributes))
                .increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        count(attributes, outcome(context.exception()));
    }

    static String outcome(Throwable e) {
        if (e instanceof AwsServiceException aws) {
            if (aws.isThrottlingException()) {
                return "throttled";
            }
            return aws.statusCode() >= 500 ? "server_error" : "client_error";
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return "timeout";
        }
        return "io_error";
    }

    private void count(ExecutionAttributes attributes, String outcome) {
        registry.counter(CALLS, "service", service(attributes), "operation", operation(attributes), "outcome", outcome)
                .increment();
    }

    private static String service(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        return name == null ? "unknown" : name;
    }

    private static String operation(ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
