package dev.baton.cli.proxy;

import dev.baton.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a built-in router serving: runs it as a child process and starts it again when it dies
 * (kill -9, out of memory, a crash), so that a dead router is serving its recorded colour again
 * within about a second, without a deploy. The router keeps its colour in its state file, so the
 * new one serves what the old one did. A router that keeps dying at once (its port is taken, its
 * config is wrong) is given up after a few tries, with the reason in its log.
 */
final class RouterSupervisor {
    private static final int FAST_FAILURES_ALLOWED = 5;
    private static final Duration FAST = Duration.ofSeconds(5);

    private final List<String> childArgv;
    private final Path childPidFile;
    private final PrintWriter log;
    private volatile boolean stopping;
    private volatile Process child;

    /** @param childPidFile where the serving router's pid goes (what operators and tests kill) */
    RouterSupervisor(List<String> childArgv, Path childPidFile, PrintWriter log) {
        this.childArgv = List.copyOf(childArgv);
        this.childPidFile = childPidFile;
        this.log = log;
    }

    /** Runs until stopped (SIGTERM or Ctrl-C stop the router too) or the router cannot stay up; returns the exit code. */
    int run() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "router-supervisor-stop"));
        int fast = 0;
        while (!stopping) {
            Instant started = Instant.now();
            child = new ProcessBuilder(childArgv).inheritIO().start();
            PrivateFiles.writeAtomically(childPidFile, child.pid() + " "
                    + child.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
            int code = child.waitFor();
            if (stopping) {
                break;
            }
            Duration up = Duration.between(started, Instant.now());
            fast = up.compareTo(FAST) < 0 ? fast + 1 : 0;
            say("router (pid " + child.pid() + ") exited with " + code + " after " + up.toMillis() + " ms"
                    + (fast >= FAST_FAILURES_ALLOWED ? "; it failed " + fast + " times in a row within "
                    + FAST.toSeconds() + " s of starting, so it is not started again (see the lines above)" : "; starting it again"));
            if (fast >= FAST_FAILURES_ALLOWED) {
                return 1;
            }
            if (fast > 1) {
                Thread.sleep(200L * fast); // a backoff, so a router that cannot start does not spin
            }
        }
        return 0;
    }

    private void stop() {
        stopping = true;
        Process c = child;
        if (c != null && c.isAlive()) {
            c.destroy(); // SIGTERM: the router closes its listeners
            try {
                if (!c.waitFor(10, TimeUnit.SECONDS)) {
                    c.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void say(String line) {
        log.println(Instant.now() + " supervisor: " + line);
        log.flush();
    }
}
