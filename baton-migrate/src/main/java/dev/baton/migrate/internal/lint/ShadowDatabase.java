package dev.baton.migrate.internal.lint;

import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A scratch database for the lint, made on the server of {@code admin} (the target itself unless
 * {@code --shadow-url} names another) and dropped on close. One left by a lint that was killed is
 * dropped by the next lint on that server (a shadow some session still uses is left alone).
 */
final class ShadowDatabase implements AutoCloseable {
    static final String PREFIX = "baton_shadow_";

    private final DatabaseUrl admin;
    private final String name;

    private ShadowDatabase(DatabaseUrl admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** Creates one; an SQLException (no CREATEDB privilege, say) means no shadow here. */
    static ShadowDatabase create(DatabaseUrl admin) throws SQLException {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = admin.open("baton-migrate lint"); Statement st = c.createStatement()) {
            dropLeftovers(st);
            st.execute("CREATE DATABASE " + name);
        }
        return new ShadowDatabase(admin, name);
    }

    private static void dropLeftovers(Statement st) throws SQLException {
        List<String> left = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database d WHERE datname LIKE 'baton\\_shadow\\_%'"
                + " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)")) {
            while (rs.next()) {
                left.add(rs.getString(1));
            }
        }
        for (String db : left) {
            if (db.matches("baton_shadow_[0-9a-f]{12}")) {
                try {
                    st.execute("DROP DATABASE IF EXISTS " + db);
                } catch (SQLException e) {
                    // in use after all (a lint that just made it): leave it to its owner
                }
            }
        }
    }

    DatabaseUrl url() {
        return admin.withDatabase(name);
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin.open("baton-migrate lint"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + (c.getMetaData().getDatabaseMajorVersion() >= 13 ? " WITH (FORCE)" : ""));
        }
    }
}
