package dev.baton.deploy.port;

import dev.baton.BatonException;
import dev.baton.ExitCode;
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
     * Throws {@link Lost} (exit 3) when the lock is no longer held, although it was taken: its
     * database session ended (terminated, a server restart, an idle timeout), so another deploy
     * may have taken it. Before throwing, tries once, without waiting, to take it again.
     */
    void check();

    @Override
    void close();

    /**
     * The lock was lost. {@link #retaken()}: this deploy holds it again (nobody held it when it
     * tried); otherwise another deploy holds it now, and what this one did is for that one to settle.
     */
    final class Lost extends BatonException {
        private final boolean retaken;

        public Lost(String message, boolean retaken) {
            super(ExitCode.STATE, message);
            this.retaken = retaken;
        }

        public boolean retaken() {
            return retaken;
        }
    }

}
