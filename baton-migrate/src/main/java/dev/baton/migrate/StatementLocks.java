package dev.baton.migrate;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

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
    /**
     * A short wait, often retried: while a DDL statement waits, the app's queries on that table
     * queue behind it, so each wait is what the app may feel (pgroll waits 500 ms; 200 ms here).
     * With the pauses below, 30 retries give up after at most about 2.5 minutes.
     */
    public static final StatementLocks DEFAULT = new StatementLocks(Duration.ofMillis(200), 30);

    public StatementLocks {
        if (timeout.isNegative() || retries < 0) {
            throw new IllegalArgumentException("timeout and retries must not be negative");
        }
    }

    /**
     * The pause before retry {@code attempt} (1-based): 100 ms doubling to at most 5 s, each
     * between half and all of that at random, so migrators and app retries do not fall in step.
     */
    public Duration pause(int attempt) {
        long ceiling = Math.min(5_000, 100L << Math.min(attempt - 1, 6));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
