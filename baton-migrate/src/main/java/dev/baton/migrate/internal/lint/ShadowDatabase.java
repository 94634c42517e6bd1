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
 * dropped by a later lint on that server, once it is an hour old and no session uses it.
 */
final class ShadowDatabase implements AutoCloseable {
    static final String PREFIX = "baton_shadow_";
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("baton_shadow_([0-9a-f]{1,12})_[0-9a-f]{8}");
    /** A shadow unused for this long after its creation was left by a lint that was killed. */
    private static final long LEFTOVER_SECONDS = 3600;

    private final DatabaseUrl admin;
    private final String name;

    private ShadowDatabase(DatabaseUrl admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** Creates one; an SQLException (no CREATEDB privilege, say) means no shadow here. */
    static ShadowDatabase create(DatabaseUrl admin) throws SQLException {
        // the creation time is in the name: only shadows older than LEFTOVER are taken for leftovers, so a
        // lint never drops the one another lint has just made and not yet connected to
        String name = PREFIX + Long.toHexString(System.currentTimeMillis() / 1000) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
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
        long now = System.currentTimeMillis() / 1000;
        for (String db : left) {
            java.util.regex.Matcher m = NAME.matcher(db);
            if (m.matches() && now - Long.parseLong(m.group(1), 16) > LEFTOVER_SECONDS) {
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
