package dev.baton.deploy.port;

import java.time.Duration;
import java.util.Optional;

/**
 * One deploy per app at a time. Held for the whole deploy and released when the deploying process
 * ends, however it ends: a PostgreSQL advisory lock on a session of its own when the app has a
 * database (so deploys from different machines exclude each other), else an OS file lock in the
 * state folder.
 */
public interface DeployLock extends AutoCloseable {
    /** Who holds the lock now, in words, if anyone. */
    Optional<String> holder();

    /**
     * Takes the lock, waiting up to {@code wait}; throws a state error naming the holder if it
     * stays taken. {@code who} is recorded for others to see.
     */
    void acquire(String who, Duration wait);

    /**
     * Throws (exit 3) when the lock is no longer held, although it was taken: its database session
     * ended (terminated, a server restart, an idle timeout), so another deploy may be running.
     */
    void check();

    @Override
    void close();

}
