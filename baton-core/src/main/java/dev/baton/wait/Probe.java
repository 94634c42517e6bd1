package dev.baton.wait;

import java.util.Optional;

/**
 * One look at a condition: empty when it holds, else why not (shown if the wait times out).
 *
 * @param <E> what the look may throw (a lock's SQLException, say); the wait passes it on
 */
@FunctionalInterface
public interface Probe<E extends Exception> {
    Optional<String> whyNot() throws E;

    static Optional<String> ok() {
        return Optional.empty();
    }

    static Optional<String> notYet(String why) {
        return Optional.of(why);
    }
}
