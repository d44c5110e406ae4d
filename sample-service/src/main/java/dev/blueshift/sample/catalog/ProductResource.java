package dev.blueshift.sample.catalog;

import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.CompletionStage;

/** The catalogue's HTTP API. Reads need the read scope, writes the write scope. */
@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {
    private final ProductCatalog catalog;

    public ProductResource(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("${blueshift.auth.read-scope}")
    public CompletionStage<Buffer> get(@PathParam("id") long id) {
        // Non-blocking, and the cached JSON document goes out as it is, as bytes: a cache hit costs
        // no thread switch, no (de)serialisation and no output stream (a String would go through
        // the JSON writer's blocking stream).
        return catalog.getJson(id).thenApply(Buffer::buffer);
    }

    @GET
    @RolesAllowed("${blueshift.auth.read-scope}")
    public ProductPage list(
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return catalog.list(page, size);
    }

    @POST
    @RolesAllowed("${blueshift.auth.write-scope}")
    public Response create(@Valid @NotNull ProductDraft draft, @Context UriInfo uri) {
        Product created = catalog.create(draft);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(Long.toString(created.id()))
                        .build())
                .entity(created)
                .build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("${blueshift.auth.write-scope}")
    public Product replace(@PathParam("id") long id, @Valid @NotNull ProductDraft draft) {
        return catalog.replace(id, draft);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("${blueshift.auth.write-scope}")
    public Response delete(@PathParam("id") long id) {
        catalog.delete(id);
        return Response.noContent().build();
    }
}
