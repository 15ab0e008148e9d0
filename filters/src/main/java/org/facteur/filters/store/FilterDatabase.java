package org.facteur.filters.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The filters' own H2 database (Bayes tokens, trained-message hashes, greylisting triplets, per-account sender
 * lists), in {@code DATA/filters/}. Apart from the storage and directory databases so that a big token table
 * never slows mail delivery.
 */
public final class FilterDatabase implements AutoCloseable {

    private final JdbcConnectionPool pool;

    private FilterDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    public static FilterDatabase open(Path folder) throws IOException {
        Files.createDirectories(folder);
        String url = "jdbc:h2:file:" + folder.toAbsolutePath().resolve("filters") + ";DB_CLOSE_ON_EXIT=FALSE";
        FilterDatabase db = new FilterDatabase(JdbcConnectionPool.create(url, "sa", ""));
        db.pool.setMaxConnections(16);
        db.migrate();
        return db;
    }

    /** An in-memory database, for tools and benchmarks that must not touch a data folder. */
    public static FilterDatabase inMemory(String name) {
        FilterDatabase db = new FilterDatabase(JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", ""));
        db.pool.setMaxConnections(16);
        try {
            db.migrate();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return db;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    private void migrate() throws IOException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            // Bayes: scope '' is the global database, otherwise an account name.
            s.execute("CREATE TABLE IF NOT EXISTS bayes_token (scope VARCHAR(320) NOT NULL, token BIGINT NOT NULL, "
                    + "spam INT NOT NULL, ham INT NOT NULL, PRIMARY KEY (scope, token))");
            s.execute("CREATE TABLE IF NOT EXISTS bayes_total (scope VARCHAR(320) PRIMARY KEY, spam INT NOT NULL, ham INT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS bayes_trained (scope VARCHAR(320) NOT NULL, hash BINARY(32) NOT NULL, "
                    + "spam BOOLEAN NOT NULL, trained_at TIMESTAMP NOT NULL, PRIMARY KEY (scope, hash))");
            s.execute("CREATE TABLE IF NOT EXISTS greylist (triplet VARCHAR(800) PRIMARY KEY, first_seen TIMESTAMP NOT NULL, "
                    + "passed_at TIMESTAMP, last_seen TIMESTAMP NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS greylist_allowed (client_sender VARCHAR(600) PRIMARY KEY, passes INT NOT NULL, "
                    + "last_seen TIMESTAMP NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS sender_list (account VARCHAR(320) NOT NULL, pattern VARCHAR(320) NOT NULL, "
                    + "allow BOOLEAN NOT NULL, PRIMARY KEY (account, pattern))");
        } catch (SQLException e) {
            throw new IOException("cannot prepare the filters database: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
