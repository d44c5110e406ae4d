package dev.blueshift.sample.store;

import dev.blueshift.sample.support.SampleServiceTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service pointed at a PostgreSQL port nothing listens on; Redis is up. */
public class DatabaseDownProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(
                SampleServiceTestResource.class, Map.of(SampleServiceTestResource.DATABASE, "down")));
    }
}
