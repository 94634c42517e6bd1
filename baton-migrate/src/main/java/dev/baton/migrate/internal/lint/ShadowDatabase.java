package dev.baton.migrate.internal.lint;

import dev.baton.migrate.AdvisoryLock;
import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A scratch database for the lint, made on the server of {@code admin} (the target itself unless
 * {@code --shadow-url} names another) and dropped on close. While it lives, a session on the admin
 * database holds an advisory lock named after it: one that no session holds and none uses was left
 * by a lint that was killed, and the next lint on that server drops it.
 */
final class ShadowDatabase implements AutoCloseable {
    static final String PREFIX = "baton_shadow_";
    /** The names this class gives (creation time in hex, then 8 random hex digits): nothing else is dropped. */
    private static final Pattern NAME = Pattern.compile("baton_shadow_[0-9a-f]{1,12}_[0-9a-f]{8}");

    private final DatabaseUrl admin;
    private final String name;
    /** Holds the shadow's lock until it is dropped; the lock goes with it if this process dies. */
    private final Connection holder;

    private ShadowDatabase(DatabaseUrl admin, String name, Connection holder) {
        this.admin = admin;
        this.name = name;
        this.holder = holder;
    }

    /** Creates one; an SQLException (no CREATEDB privilege, say) means no shadow here. */
    static ShadowDatabase create(DatabaseUrl admin) throws SQLException {
        String name = PREFIX + Long.toHexString(System.currentTimeMillis() / 1000) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Connection holder = admin.open("baton-migrate lint");
        try (Statement st = holder.createStatement()) {
            // locked before it exists: no other lint ever sees it without its lock
            AdvisoryLock.tryLock(holder, AdvisoryLock.key(name));
            dropLeftovers(st);
            st.execute("CREATE DATABASE " + name);
            return new ShadowDatabase(admin, name, holder);
        } catch (SQLException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /** Drops every shadow that no session uses and none holds the lock of: a killed lint's. */
    private static void dropLeftovers(Statement st) throws SQLException {
        List<String> unused = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database d WHERE datname LIKE 'baton\\_shadow\\_%'"
                + " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)")) {
            while (rs.next()) {
                unused.add(rs.getString(1));
            }
        }
        Set<Long> locked = new HashSet<>(); // pg_locks lists the advisory locks of every database
        try (ResultSet rs = st.executeQuery("SELECT classid::bigint, objid::bigint FROM pg_locks"
                + " WHERE locktype = 'advisory' AND granted AND objsubid = 1")) {
            while (rs.next()) {
                locked.add(rs.getLong(1) << 32 | rs.getLong(2));
            }
        }
        for (String db : unused) {
            if (NAME.matcher(db).matches() && !locked.contains(AdvisoryLock.key(db))) {
                try {
                    st.execute("DROP DATABASE IF EXISTS " + db);
                } catch (SQLException e) {
                    // connected to since: leave it to its owner
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
        try (Connection c = holder; Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + (c.getMetaData().getDatabaseMajorVersion() >= 13 ? " WITH (FORCE)" : ""));
        }
    }
}
