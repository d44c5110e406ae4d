package dev.blueshift.sample.cache;

import dev.blueshift.sample.support.SampleServiceTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service with a Redis server of its own, which the test stops and starts. */
public class RedisDownProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(
                SampleServiceTestResource.class, Map.of(SampleServiceTestResource.REDIS, "disposable")));
    }
}
