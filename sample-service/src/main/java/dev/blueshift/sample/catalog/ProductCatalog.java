package dev.blueshift.sample.catalog;

import dev.blueshift.sample.cache.CacheAsideProductReader;
import dev.blueshift.sample.cache.Stages;
import dev.blueshift.sample.store.ProductStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The catalogue's use cases: reads through the cache, writes to the database then invalidate. */
@ApplicationScoped
public class ProductCatalog {
    private final ProductStore store;
    private final CacheAsideProductReader reader;

    public ProductCatalog(ProductStore store, CacheAsideProductReader reader) {
        this.store = store;
        this.reader = reader;
    }

    /** The product as its JSON document, from the cache when it is there. */
    public CompletionStage<String> getJson(long id) {
        CompletableFuture<String> document = new CompletableFuture<>();
        reader.findJson(id).whenComplete((json, failure) -> {
            if (failure != null) {
                document.completeExceptionally(Stages.cause(failure));
            } else if (json == null) {
                document.completeExceptionally(new ProductNotFoundException(id));
            } else {
                document.complete(json);
            }
        });
        return document;
    }

    public ProductPage list(int page, int size) {
        return store.list(page, size);
    }

    public Product create(ProductDraft draft) {
        return store.create(draft);
    }

    public Product replace(long id, ProductDraft draft) {
        Product updated = store.update(id, draft).orElseThrow(() -> new ProductNotFoundException(id));
        reader.invalidate(id);
        return updated;
    }

    public void delete(long id) {
        if (!store.delete(id)) {
            throw new ProductNotFoundException(id);
        }
        reader.invalidate(id);
    }
}
