package dev.blueshift.sample;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which release is answering: the revision the operator gave this Pod. */
@Path("/info")
public class InfoResource {
    @ConfigProperty(name = "blueshift.revision", defaultValue = "unknown")
    String revision;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> info() {
        return Map.of("service", "sample-service", "revision", revision);
    }
}
