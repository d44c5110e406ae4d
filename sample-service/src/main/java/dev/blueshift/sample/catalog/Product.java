package dev.blueshift.sample.catalog;

import java.time.Instant;

/** A product of the catalogue as stored. */
public record Product(long id, String sku, String name, String description, long priceCents, Instant updatedAt) {}
