package dev.baton.migrate.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;

/**
 * Watches, from a second session, whom the migration's session waits for: every 20 ms while it
 * runs, {@code pg_blocking_pids} of its backend, and for each blocker its pid, application,
 * state, transaction age and query start. A statement that gives up waiting for a lock can then
 * name what held it, in the progress and in the error. Costs one tiny query per 20 ms.
 */
final class LockWatch implements AutoCloseable {
    private static final long EVERY_NANOS = 20_000_000L;

    private final Connection observer;
    private final int pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile List<String> blockers = List.of();

    private LockWatch(Connection observer, int pid) {
        this.observer = observer;
        this.pid = pid;
        this.thread = new Thread(this::watch, "baton-lock-watch");
        thread.setDaemon(true);
    }

    /** Starts watching {@code work}'s backend through {@code observer}; null observer: a watch that sees nothing. */
    static LockWatch start(Connection observer, Connection work) throws SQLException {
        LockWatch w = new LockWatch(observer, work.unwrap(PGConnection.class).getBackendPID());
        if (observer != null) {
            w.thread.start();
        }
        return w;
    }

    /** What blocked the session lately (cleared by {@link #reset}), one line per blocker. */
    List<String> blockers() {
        return blockers;
    }

    void reset() {
        blockers = List.of();
    }

    private void watch() {
        String sql = "SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'), a.state,"
                + " coalesce(extract(epoch FROM now() - a.xact_start)::int, 0), a.query_start, left(regexp_replace(a.query,"
                + " '\\s+', ' ', 'g'), 80) FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?))";
        try (PreparedStatement ps = observer.prepareStatement(sql)) {
            ps.setInt(1, pid);
            while (running) {
                List<String> seen = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seen.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + ", " + rs.getString(3) + ", in a transaction for "
                                + rs.getInt(4) + " s" + (rs.getTimestamp(5) == null ? "" : ", its query started " + rs.getTimestamp(5).toInstant())
                                + ": " + rs.getString(6) + ")");
                    }
                }
                if (!seen.isEmpty()) {
                    blockers = List.copyOf(seen);
                }
                LockSupport.parkNanos(EVERY_NANOS);
            }
        } catch (SQLException e) {
            // the observer session went away: the migration goes on, its errors just name no blocker
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            LockSupport.unpark(thread);
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
