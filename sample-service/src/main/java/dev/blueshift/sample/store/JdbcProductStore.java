package dev.blueshift.sample.store;

import dev.blueshift.sample.catalog.Product;
import dev.blueshift.sample.catalog.ProductDraft;
import dev.blueshift.sample.catalog.ProductPage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link ProductStore} on PostgreSQL through the pooled JDBC data source. */
@ApplicationScoped
public class JdbcProductStore implements ProductStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, sku, name, description, price_cents, updated_at";

    private final DataSource dataSource;
    private final MeterRegistry registry;

    public JdbcProductStore(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    @Override
    @WithSpan("db.products.find")
    public Optional<Product> find(long id) {
        return query("find", connection -> {
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT " + COLUMNS + " FROM products WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(toProduct(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    @WithSpan("db.products.list")
    public ProductPage list(int page, int size) {
        return query("list", connection -> {
            List<Product> items = new ArrayList<>();
            try (PreparedStatement statement =
                    connection.prepareStatement("SELECT " + COLUMNS + " FROM products ORDER BY id LIMIT ? OFFSET ?")) {
                statement.setInt(1, size);
                statement.setLong(2, (long) page * size);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        items.add(toProduct(rows));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM products");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new ProductPage(items, page, size, rows.getLong(1));
            }
        });
    }

    @Override
    @WithSpan("db.products.create")
    public Product create(ProductDraft draft) {
        return query("create", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO products (sku, name, description, price_cents) VALUES (?, ?, ?, ?) RETURNING "
                            + COLUMNS)) {
                bindDraft(statement, draft);
                return single(statement, draft.sku()).orElseThrow();
            }
        });
    }

    @Override
    @WithSpan("db.products.update")
    public Optional<Product> update(long id, ProductDraft draft) {
        return query("update", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE products SET sku = ?, name = ?, description = ?, price_cents = ?, updated_at = now()"
                            + " WHERE id = ? RETURNING " + COLUMNS)) {
                bindDraft(statement, draft);
                statement.setLong(5, id);
                return single(statement, draft.sku());
            }
        });
    }

    @Override
    @WithSpan("db.products.delete")
    public boolean delete(long id) {
        return query("delete", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM products WHERE id = ?")) {
                statement.setLong(1, id);
                return statement.executeUpdate() == 1;
            }
        });
    }

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs one unit of work on a pooled connection, timed, with SQL errors turned into domain errors. */
    private <T> T query(String operation, SqlWork<T> work) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try (Connection connection = dataSource.getConnection()) {
            T result = work.run(connection);
            outcome = "success";
            return result;
        } catch (SQLException e) {
            throw translate(operation, e);
        } finally {
            sample.stop(Timer.builder("blueshift.db.queries")
                    .description("Database calls by operation and outcome")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry));
        }
    }

    private static RuntimeException translate(String operation, SQLException e) {
        if (e instanceof DuplicateSkuSqlException duplicate) {
            return new DuplicateSkuException(duplicate.sku);
        }
        return new DatabaseUnavailableException(operation, e);
    }

    private static Optional<Product> single(PreparedStatement statement, String sku) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(toProduct(rows)) : Optional.empty();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new DuplicateSkuSqlException(sku, e);
            }
            throw e;
        }
    }

    /** Carries a unique violation out of the SQL work so that it maps to a 409, not a 503. */
    private static final class DuplicateSkuSqlException extends SQLException {
        private final String sku;

        DuplicateSkuSqlException(String sku, SQLException cause) {
            super(cause.getMessage(), UNIQUE_VIOLATION, cause);
            this.sku = sku;
        }
    }

    private static void bindDraft(PreparedStatement statement, ProductDraft draft) throws SQLException {
        statement.setString(1, draft.sku());
        statement.setString(2, draft.name());
        statement.setString(3, draft.description());
        statement.setLong(4, draft.priceCents());
    }

    private static Product toProduct(ResultSet rows) throws SQLException {
        return new Product(
                rows.getLong("id"),
                rows.getString("sku"),
                rows.getString("name"),
                rows.getString("description"),
                rows.getLong("price_cents"),
                rows.getTimestamp("updated_at").toInstant());
    }
}
