package dev.baton.wait;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The one way Baton waits: ask a {@link Probe} every {@code interval} until it says ok or the
 * {@code timeout} passes (as Testcontainers' wait strategies do). No fixed sleeps: the wait ends
 * as soon as the condition holds. A probe that throws ends the wait with its error at once (a
 * process that exited will not become healthy).
 *
 * @param expected what is awaited, for the timeout message: {@code "api green healthy"}
 * @param interruptible whether Ctrl-C (an interrupt) ends the wait; waits that must finish
 *        whatever happens (a process stopping) keep the interrupt for later instead
 */
public record Wait(String expected, Duration timeout, Duration interval, boolean interruptible) {

    public static Wait of(String expected, Duration timeout, Duration interval) {
        return new Wait(expected, timeout, interval, true);
    }

    /** The same wait, run to its end even if the thread is interrupted; the interrupt stays set afterwards. */
    public Wait uninterruptibly() {
        return new Wait(expected, timeout, interval, false);
    }

    /**
     * Polls until the probe says ok.
     *
     * @throws TimedOut when the timeout passes first, naming what was expected, for how long, and the last reason
     * @throws BatonException (exit 1) when the thread is interrupted (Ctrl-C or SIGTERM)
     * @throws E what the probe threw, at once
     */
    public <E extends Exception> void until(Probe<E> probe) throws E {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean deferred = false;
        try {
            while (true) {
                Optional<String> why = probe.whyNot();
                if (why.isEmpty()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimedOut(this, why.get());
                }
                LockSupport.parkNanos(Math.min(left, interval.toNanos()));
                if (Thread.currentThread().isInterrupted()) {
                    if (interruptible) {
                        throw interrupted();
                    }
                    deferred |= Thread.interrupted(); // else parking would no longer wait
                }
            }
        } finally {
            if (deferred) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private BatonException interrupted() {
        return new BatonException(ExitCode.FAILED, "interrupted (Ctrl-C or SIGTERM) while waiting for " + expected);
    }

    /** The timeout passed before the probe said ok. */
    public static final class TimedOut extends BatonException {
        private final transient Wait wait;
        private final String lastReason;

        TimedOut(Wait wait, String lastReason) {
            super(ExitCode.FAILED, wait.expected() + ": not within " + seconds(wait.timeout()) + "; last: " + lastReason);
            this.wait = wait;
            this.lastReason = lastReason;
        }

        public Wait waited() {
            return wait;
        }

        /** What the probe said last. */
        public String lastReason() {
            return lastReason;
        }
    }

    /** {@code 20 s}, {@code 500 ms}. */
    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
