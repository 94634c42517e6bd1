package dev.baton.deploy.lock;

import dev.baton.BatonException;
import dev.baton.deploy.port.DeployLock;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The deploy lock as a session-level advisory lock. The holder's description is the session's
 * application_name, so {@code baton status} on any machine can name it from pg_stat_activity;
 * the lock goes when the session does, including when the deploying process is killed.
 */
public final class PostgresDeployLock implements DeployLock {
    private static final Duration POLL = Duration.ofMillis(200);
    private final String app;
    private final DatabaseUrl url;
    private final long key;
    private Connection session;

    public PostgresDeployLock(String app, String url, String user, String password) {
        this.app = app;
        this.url = DatabaseUrl.parse(url, user, password);
        this.key = key("baton-deploy:" + app);
    }

    /** 64-bit FNV-1a of the name: a stable key that other tools are unlikely to pick. */
    static long key(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public Optional<String> holder() {
        try (Connection c = connect(null);
             PreparedStatement st = c.prepareStatement("SELECT a.application_name, a.backend_start, a.client_addr"
                     + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                     + " AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1"
                     // advisory locks belong to a database; pg_locks shows every database's
                     + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            st.setLong(1, key >>> 32);
            st.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String who = rs.getString(1) == null || rs.getString(1).isEmpty() ? "an unnamed session" : rs.getString(1);
                return Optional.of(who + ", since " + rs.getTimestamp(2).toInstant()
                        + (rs.getString(3) == null ? "" : ", from " + rs.getString(3)));
            }
        } catch (SQLException e) {
            throw BatonException.state("cannot read the deploy lock on " + url.display() + ": " + e.getMessage());
        }
    }

    @Override
    public void acquire(String who, Duration wait) {
        try {
            session = connect(who);
            try {
                Wait.of("the deploy lock", wait, POLL).until(() -> tryLock() ? Probe.ok() : Probe.notYet("held"));
            } catch (Wait.TimedOut e) {
                String holder = holder().orElse("a deploy that has just finished");
                close();
                throw BatonException.state("another deploy of " + app + " is running: " + holder
                        + "; wait for it to finish (baton status shows it), or raise deadlines.lock");
            }
        } catch (SQLException e) {
            close();
            throw BatonException.state("cannot take the deploy lock on " + url.display() + ": " + e.getMessage());
        }
    }

    private boolean tryLock() throws SQLException {
        try (PreparedStatement st = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private Connection connect(String applicationName) throws SQLException {
        return url.open(applicationName == null ? "baton status" : applicationName);
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close(); // ends the session, and with it the lock
            } catch (SQLException ignored) {
                // the lock dies with the session either way
            }
            session = null;
        }
    }
}
