package org.facteur.auth;

import java.sql.Connection;
import java.sql.SQLException;

/** JDBC steps shared by the directory and the settings store, which use the same H2 database. */
public final class Sql {

    private Sql() {
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} as one transaction on {@code c}: committed when it returns, rolled back when it throws. */
    public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
