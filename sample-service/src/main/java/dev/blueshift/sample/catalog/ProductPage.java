package dev.blueshift.sample.catalog;

import java.util.List;

/** One page of the catalogue, ordered by id. */
public record ProductPage(List<Product> items, int page, int size, long total) {}
