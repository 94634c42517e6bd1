package dev.baton.testing;

import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Tests wait for a condition instead of sleeping: the same {@link Wait} as Baton, failing the test at the limit. */
public final class Await {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {}

    /** Polls {@code condition} until it holds; fails with {@code what} after 60 s. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, what, LIMIT);
    }

    public static void until(BooleanSupplier condition, String what, Duration limit) {
        try {
            Wait.of(what, limit, POLL).until(() -> condition.getAsBoolean() ? Probe.ok() : Probe.notYet("not yet"));
        } catch (Wait.TimedOut e) {
            throw new AssertionError("timed out after " + Wait.seconds(limit) + " waiting for " + what);
        }
    }
}
