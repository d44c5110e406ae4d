package dev.blueshift.operator.kube;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The Kubernetes client parses every watch event without Jackson's pooled buffers. A pooled buffer
 * keeps the text of the last event it parsed until its thread parses the next one, and a watch
 * connection that is quiet afterwards kept a Secret's whole event (with the data that kubectl
 * apply copies into last-applied-configuration) in the operator's memory indefinitely: seen in a
 * heap dump by CachedSecretHeapIT. A few more short-lived allocations per event are the price.
 */
@Singleton
public class UnpooledParseBuffers implements KubernetesClientObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setRecyclerPool(JsonRecyclerPools.nonRecyclingPool());
    }
}
