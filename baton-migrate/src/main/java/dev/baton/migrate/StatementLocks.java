package dev.baton.migrate;

import java.time.Duration;

/**
 * How long a revision's statements may wait for a table lock. A DDL statement waiting for a lock
 * queues every later query on that table behind it, so one long transaction in the running app
 * would stall its traffic for as long as the migration waits. With a timeout, a revision that
 * cannot get its lock is rolled back and tried again after a pause, while traffic flows.
 *
 * @param timeout the server's {@code lock_timeout} for each statement; zero waits forever (PostgreSQL's default)
 * @param retries how many more times a transactional revision is tried after its lock timed out
 */
public record StatementLocks(Duration timeout, int retries) {
    public static final StatementLocks DEFAULT = new StatementLocks(Duration.ofSeconds(5), 3);

    public StatementLocks {
        if (timeout.isNegative() || retries < 0) {
            throw new IllegalArgumentException("timeout and retries must not be negative");
        }
    }

    /** The pause before retry {@code attempt} (1-based): 0.5 s, 1 s, 2 s, ... at most 10 s. */
    public Duration pause(int attempt) {
        return Duration.ofMillis(Math.min(10_000, 500L << Math.min(attempt - 1, 5)));
    }
}
