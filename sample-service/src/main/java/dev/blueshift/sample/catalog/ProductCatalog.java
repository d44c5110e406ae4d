package dev.blueshift.sample.catalog;

import dev.blueshift.sample.cache.CacheAsideProductReader;
import dev.blueshift.sample.store.ProductStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

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
  public Uni<String> getJson(long id) {
    return reader.findJson(id).onItem().ifNull().failWith(() -> new ProductNotFoundException(id));
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
