CREATE TABLE products (
    id          BIGSERIAL PRIMARY KEY,
    sku         VARCHAR(64)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    description VARCHAR(2000),
    price_cents BIGINT       NOT NULL CHECK (price_cents >= 0),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
