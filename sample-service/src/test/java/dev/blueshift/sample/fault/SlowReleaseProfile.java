package dev.blueshift.sample.fault;

import dev.blueshift.sample.support.SampleServiceTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A release made slow on purpose, without errors. */
public class SlowReleaseProfile implements QuarkusTestProfile {
    static final long LATENCY_MS = 300;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("blueshift.fault.latency-ms", Long.toString(LATENCY_MS));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SampleServiceTestResource.class));
    }
}
