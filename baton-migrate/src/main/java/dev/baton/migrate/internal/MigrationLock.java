package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One migrator at a time: a session-level advisory lock held by a connection of its own, so it is
 * independent of the revisions' transactions and disappears with the process. The wait is done
 * by the server ({@code lock_timeout}), not by polling.
 */
public final class MigrationLock implements AutoCloseable {
    private final Connection connection;
    private final long key;

    private MigrationLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock key for a history table: one lock per table per database. */
    public static long keyFor(String table) {
        // FNV-1a 64 over a fixed prefix and the table name: stable across versions and JVMs
        long h = 0xcbf29ce484222325L;
        for (byte b : ("baton-migrate:" + table).getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }

    public static MigrationLock acquire(Connection c, long key, Duration timeout, Consumer<String> note) {
        try {
            if (tryLock(c, key)) {
                return new MigrationLock(c, key);
            }
            String holder = holder(c, key);
            if (timeout.isZero()) {
                throw lockHeld(holder, timeout);
            }
            note.accept("waiting up to " + timeout.toSeconds() + "s for the migration lock held by " + holder);
            try (Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = " + Math.max(1, timeout.toMillis()));
                st.execute("SELECT pg_advisory_lock(" + key + ")");
                st.execute("SET lock_timeout = 0");
                return new MigrationLock(c, key);
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw lockHeld(holder(c, key), timeout);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new BatonException(ExitCode.FAILED, "cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static BatonException lockHeld(String holder, Duration waited) {
        return BatonException.state("another migrator holds the migration lock: " + holder + " (waited "
                + waited.toSeconds() + "s); wait for it to finish, raise --lock-timeout, or if that process"
                + " is gone for good, end it with SELECT pg_terminate_backend(<pid>)");
    }

    /** Who holds the lock: pid, application, client address and since when. */
    public static String holder(Connection c, long key) throws SQLException {
        String sql = "SELECT a.pid, a.application_name, a.client_addr, a.backend_start"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "a session that has just released it";
                }
                return "pid " + rs.getInt(1) + " (application \"" + rs.getString(2) + "\", client "
                        + (rs.getString(3) == null ? "local socket" : rs.getString(3)) + ", connected "
                        + rs.getTimestamp(4).toInstant() + ")";
            }
        }
    }

    @Override
    public void close() {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + key + ")");
        } catch (SQLException e) {
            // the session ends with the process anyway, which frees the lock
        }
    }
}
