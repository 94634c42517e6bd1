package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.AdvisoryLock;
import java.sql.Connection;
import java.sql.SQLException;
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
        return AdvisoryLock.key("baton-migrate:" + table);
    }

    public static MigrationLock acquire(Connection c, long key, Duration timeout, Consumer<String> note) {
        try {
            if (AdvisoryLock.tryLock(c, key)) {
                return new MigrationLock(c, key);
            }
            if (!timeout.isZero()) {
                note.accept("waiting up to " + timeout.toSeconds() + "s for the migration lock held by " + holder(c, key));
                if (AdvisoryLock.lock(c, key, timeout)) {
                    return new MigrationLock(c, key);
                }
            }
            throw lockHeld(holder(c, key), timeout);
        } catch (SQLException e) {
            throw new BatonException(ExitCode.FAILED, "cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    private static BatonException lockHeld(String holder, Duration waited) {
        return BatonException.state("another migrator holds the migration lock: " + holder + " (waited "
                + waited.toSeconds() + "s); wait for it to finish, raise --lock-timeout, or if that process"
                + " is gone for good, end it with SELECT pg_terminate_backend(<pid>)");
    }

    /** Who holds the lock: pid, application, client address and since when. */
    public static String holder(Connection c, long key) throws SQLException {
        return AdvisoryLock.holder(c, key).map(AdvisoryLock.Holder::toString).orElse("a session that has just released it");
    }

    @Override
    public void close() {
        try {
            AdvisoryLock.unlock(connection, key);
        } catch (SQLException e) {
            // the session ends with the process anyway, which frees the lock
        }
    }
}
