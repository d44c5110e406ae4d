package dev.blueshift.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** What a failed Kubernetes API call means for the release: try again soon, or a real failure. */
public final class ApiErrors {
    private ApiErrors() {}

    /**
     * A failure the API server gets over by itself: 409 (the object moved on under the write), 429
     * (priority and fairness), 5xx (a restarting or overloaded server, etcd timeouts) and no answer at
     * all (refused or timed-out connections). Retrying is the whole remedy; the release did not fail.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException k) {
                int code = k.getCode();
                if (code == 409 || code == 429 || code >= 500) {
                    return true;
                }
                if (code > 0) {
                    return false;
                }
            }
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
