package dev.blueshift.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorsTest {
    @ParameterizedTest(name = "HTTP {0} is transient: {1}")
    @CsvSource({
        "409, true", // the object moved on under the write
        "429, true", // API priority and fairness
        "500, true",
        "503, true", // a restarting API server
        "504, true", // etcd timeout
        "400, false",
        "403, false", // RBAC: retrying does not grant it
        "404, false",
        "422, false" // invalid: the same write fails again
    })
    void anApiAnswerIsTransientOnlyWhenTheServerGetsOverItByItself(int code, boolean transientFailure) {
        KubernetesClientException e = new KubernetesClientException(
                new StatusBuilder().withCode(code).withMessage("m").build());
        assertThat(ApiErrors.isTransient(e)).isEqualTo(transientFailure);
        assertThat(ApiErrors.isTransient(new CompletionException(e)))
                .as("wrapped")
                .isEqualTo(transientFailure);
    }

    @org.junit.jupiter.api.Test
    void noAnswerAtAllIsTransientAndAnythingElseIsNot() {
        assertThat(ApiErrors.isTransient(
                        new KubernetesClientException("Failed to connect", new ConnectException("refused"))))
                .isTrue();
        assertThat(ApiErrors.isTransient(new KubernetesClientException("closed", new IOException("reset"))))
                .isTrue();
        assertThat(ApiErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
        assertThat(ApiErrors.isTransient(new NullPointerException())).isFalse();
    }
}
