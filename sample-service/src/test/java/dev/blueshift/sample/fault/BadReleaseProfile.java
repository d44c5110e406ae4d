package dev.blueshift.sample.fault;

import dev.blueshift.sample.support.FakeCloudWatch;
import dev.blueshift.sample.support.SampleServiceTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** A release made bad on purpose: every API request fails, late; counts go to CloudWatch. */
public class BadReleaseProfile implements QuarkusTestProfile {
    static final long LATENCY_MS = 200;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("blueshift.fault.error-rate", "1.0", "blueshift.fault.latency-ms", Long.toString(LATENCY_MS));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(SampleServiceTestResource.class), new TestResourceEntry(FakeCloudWatch.class));
    }
}
