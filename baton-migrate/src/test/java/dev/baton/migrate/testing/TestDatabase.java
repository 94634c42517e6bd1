package dev.baton.migrate.testing;

import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test, dropped on close. The server comes from
 * {@code BATON_TEST_PG_URL} (a JDBC URL to an admin database, with user and password as
 * parameters), default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String ADMIN_URL = System.getenv().getOrDefault("BATON_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private final String name;
    private final String jdbcUrl;

    private TestDatabase(String name, String jdbcUrl) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
    }

    public static TestDatabase create() {
        String name = "baton_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + ADMIN_URL
                    + " (set BATON_TEST_PG_URL to a PostgreSQL you can create databases on): " + e.getMessage(), e);
        }
        int slash = ADMIN_URL.indexOf('/', "jdbc:postgresql://".length());
        int query = ADMIN_URL.indexOf('?');
        String url = ADMIN_URL.substring(0, slash + 1) + name + (query < 0 ? "" : ADMIN_URL.substring(query));
        return new TestDatabase(name, url);
    }

    public String name() {
        return name;
    }

    /** JDBC URL including credentials parameters. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public DatabaseUrl url() {
        return DatabaseUrl.parse(jdbcUrl, null, null);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** The first column of every row of a query, as strings. */
    public List<String> column(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean tableExists(String table) {
        return column("SELECT to_regclass('" + table + "') IS NOT NULL").get(0).equals("t");
    }

    public void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
