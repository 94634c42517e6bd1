package dev.baton.cli.deploy;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during a deploy: instead of dying mid-step, the JVM's shutdown waits while
 * the deploying thread, interrupted, stops at the next step and undoes what it did, or, past the
 * point of no return, finishes (the pipeline handles the interrupt), then lets the process end.
 */
public final class ShutdownGuard implements AutoCloseable {
    private static final long WAIT_SECONDS = 300;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopping;

    public ShutdownGuard(PrintWriter err, String what) {
        this(err, "interrupted: stopping " + what + " at the next step and undoing what it did"
                + " (once the old colour has begun to drain and stop, it finishes instead)...", Thread.currentThread()::interrupt);
    }

    /**
     * On Ctrl-C or SIGTERM: prints {@code message}, runs {@code stop} (which makes the work end
     * soon, as a failure), then lets the process end once {@link #close} is called.
     */
    public ShutdownGuard(PrintWriter err, String message, Runnable stop) {
        hook = new Thread(() -> {
            stopping = true;
            err.println();
            err.println(message);
            err.flush();
            stop.run();
            try {
                done.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "baton-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a shutdown has been asked for. */
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and returns now that we are done
        }
    }
}
