package dev.blueshift.sample.api;

import dev.blueshift.sample.catalog.ProductNotFoundException;
import dev.blueshift.sample.store.DatabaseUnavailableException;
import dev.blueshift.sample.store.DuplicateSkuException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the domain's exceptions into HTTP answers with an {@link ErrorBody}. */
public class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);
    /** Seconds a client should wait before retrying while the database is down. */
    private static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        Map<String, String> fields = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            fields.merge(fieldName(violation.getPropertyPath()), violation.getMessage(), (a, b) -> a + "; " + b);
        }
        return answer(Response.Status.BAD_REQUEST, new ErrorBody("invalid request", fields));
    }

    @ServerExceptionMapper
    public Response notFound(ProductNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, ErrorBody.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response duplicate(DuplicateSkuException e) {
        return answer(Response.Status.CONFLICT, ErrorBody.of(e.getMessage()));
    }

    @ServerExceptionMapper
    public Response databaseDown(DatabaseUnavailableException e) {
        LOG.errorf("answering 503: %s", e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of("the product database is unavailable, retry later"))
                .build();
    }

    /** "create.draft.name" names the field "name"; a query parameter keeps its own name. */
    private static String fieldName(Path path) {
        String name = "";
        for (Path.Node node : path) {
            name = node.getName();
        }
        return name;
    }

    private static Response answer(Response.Status status, ErrorBody body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }
}
