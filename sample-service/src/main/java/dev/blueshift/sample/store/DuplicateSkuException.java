package dev.blueshift.sample.store;

/** A product with the same SKU exists already; callers get a 409. */
public class DuplicateSkuException extends RuntimeException {
    public DuplicateSkuException(String sku) {
        super("a product with SKU " + sku + " exists already");
    }
}
