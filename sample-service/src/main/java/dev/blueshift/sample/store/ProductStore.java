package dev.blueshift.sample.store;

import dev.blueshift.sample.catalog.Product;
import dev.blueshift.sample.catalog.ProductDraft;
import dev.blueshift.sample.catalog.ProductPage;
import java.util.Optional;

/**
 * The system of record for products (PostgreSQL here, RDS in AWS). Every method throws
 * {@link DatabaseUnavailableException} when the database cannot answer.
 */
public interface ProductStore {
    Optional<Product> find(long id);

    ProductPage list(int page, int size);

    /** @throws DuplicateSkuException when the SKU is taken */
    Product create(ProductDraft draft);

    /** @throws DuplicateSkuException when the SKU is taken by another product */
    Optional<Product> update(long id, ProductDraft draft);

    boolean delete(long id);
}
