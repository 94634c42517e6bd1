package dev.baton.migrate;

import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A PostgreSQL session-level advisory lock by name: the migration lock and the deploy lock. It is
 * held by a session of its own and goes when that session does (the process ends, the server
 * restarts). A waiter asks again and again (see {@link #lock}), never in one long statement.
 */
public final class AdvisoryLock {
    private AdvisoryLock() {}

    /** Who holds a lock: what {@code pg_stat_activity} says of the session. */
    public record Holder(int pid, String application, String client, Instant since) {
        /** {@code pid 4242 (application "baton deploy shop", client local socket, connected 2026-11-29T10:00:00Z)}. */
        @Override
        public String toString() {
            return "pid " + pid + " (application \"" + application + "\", client " + (client == null ? "local socket" : client)
                    + ", connected " + since + ")";
        }
    }

    /** The 64-bit key for a name: FNV-1a over its UTF-8 bytes, stable across versions, JVMs and machines. */
    public static long key(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Takes the lock if it is free; never waits. */
    public static boolean tryLock(Connection session, long key) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Takes the lock, waiting up to {@code wait} for its holder to let go. False when it is still
     * held at the end. It asks again every 50 ms with a statement that returns at once, rather
     * than one statement that waits on the server: a waiting statement holds a snapshot, and a
     * CREATE INDEX CONCURRENTLY of the holder waits for every older snapshot to go, so the two
     * would wait for each other (Flyway's long-standing hang).
     */
    public static boolean lock(Connection session, long key, Duration wait) throws SQLException {
        if (tryLock(session, key)) {
            return true;
        }
        if (wait.isZero() || wait.isNegative()) {
            return false;
        }
        try {
            Wait.of("the lock", wait, POLL).until(() -> tryLock(session, key) ? Probe.ok() : Probe.notYet("held"));
            return true;
        } catch (Wait.TimedOut e) {
            return false;
        }
    }

    private static final Duration POLL = Duration.ofMillis(50);

    /** Lets go of the lock (ending the session does too). */
    public static void unlock(Connection session, long key) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            st.setLong(1, key);
            st.execute();
        }
    }

    /**
     * Whether {@code session} holds the lock now: one round trip on pg_locks alone, cheap enough to
     * ask before every step of a deploy (a session that is gone throws).
     */
    public static boolean heldBy(Connection session, long key) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Who holds the lock in this database, if anyone (pg_locks lists every database's advisory locks). */
    public static Optional<Holder> holder(Connection c, long key) throws SQLException {
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
                    return Optional.empty();
                }
                return Optional.of(new Holder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
            }
        }
    }
}
