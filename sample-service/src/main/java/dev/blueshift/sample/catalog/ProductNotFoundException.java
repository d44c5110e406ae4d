package dev.blueshift.sample.catalog;

/** No product has this id; callers get a 404. */
public class ProductNotFoundException extends RuntimeException {
    public ProductNotFoundException(long id) {
        super("no product with id " + id);
    }
}
