package dev.baton.cli.proxy;

import dev.baton.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a built-in router serving: runs it as a child process and, when it dies (kill -9, out of
 * memory, a crash), hands over to a standby child that has already started its JVM and loaded
 * Jetty ({@link StandbyRouter}), so a dead router serves its recorded colour again in a fraction
 * of a second, without a deploy. A router that cannot start (its port is taken, its config is
 * wrong: it exits with an error within seconds of starting) is given up after a few tries, with
 * the reason in its log; one killed by a signal is always started again.
 */
final class RouterSupervisor {
    private static final int FAST_FAILURES_ALLOWED = 5;
    private static final Duration FAST = Duration.ofSeconds(5);
    /**
     * The standby starts once the router has served this long: it does not compete for the CPU
     * with the router's own start or with the deploy that started it.
     */
    private static final Duration STANDBY_AFTER = Duration.ofSeconds(15);

    private final List<String> routerArgv;
    private final List<String> standbyArgv;
    private final Path routerPidFile;
    private final PrintWriter log;
    private volatile boolean stopping;
    private volatile Process router;
    private volatile Process standby;

    /** @param routerPidFile where the serving router's pid goes (what operators and tests kill) */
    RouterSupervisor(List<String> routerArgv, List<String> standbyArgv, Path routerPidFile, PrintWriter log) {
        this.routerArgv = List.copyOf(routerArgv);
        this.standbyArgv = List.copyOf(standbyArgv);
        this.routerPidFile = routerPidFile;
        this.log = log;
    }

    /** Runs until stopped (SIGTERM or Ctrl-C stop the router too) or the router cannot stay up; returns the exit code. */
    int run() throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "router-supervisor-stop"));
        int fast = 0;
        serve(new ProcessBuilder(routerArgv).inheritIO().start());
        while (!stopping) {
            Instant started = Instant.now();
            if (standby == null && !router.waitFor(STANDBY_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
                standby = new ProcessBuilder(standbyArgv).redirectInput(ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            }
            int code = router.waitFor();
            if (stopping) {
                break;
            }
            Duration up = Duration.between(started, Instant.now());
            boolean failedToStart = code > 0 && code < 128 && up.compareTo(FAST) < 0;
            fast = failedToStart ? fast + 1 : 0;
            if (fast >= FAST_FAILURES_ALLOWED) {
                say("router (pid " + router.pid() + ") exited with " + code + "; it failed " + fast + " times in a row within "
                        + FAST.toSeconds() + " s of starting, so it is not started again (see the lines above)");
                return 1;
            }
            if (fast > 1) {
                Thread.sleep(200L * fast); // a backoff, so a router that cannot start does not spin
            }
            Process next = standby;
            standby = null;
            if (next != null && next.isAlive() && promote(next)) {
                say("router (pid " + router.pid() + ") exited with " + code + " after " + up.toMillis() + " ms;"
                        + " the standby (pid " + next.pid() + ") serves now");
                serve(next);
            } else {
                say("router (pid " + router.pid() + ") exited with " + code + " after " + up.toMillis() + " ms; starting it again");
                serve(new ProcessBuilder(routerArgv).inheritIO().start());
            }
        }
        return 0;
    }

    private void serve(Process p) throws IOException {
        router = p;
        PrivateFiles.writeAtomically(routerPidFile, p.pid() + " " + p.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n");
    }

    /** Tells the standby to serve; false if it cannot be told (it died meanwhile). */
    private static boolean promote(Process standby) {
        try {
            OutputStream in = standby.getOutputStream();
            in.write("serve\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void stop() {
        stopping = true;
        for (Process c : new Process[] {standby, router}) {
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
    }

    private void say(String line) {
        log.println(Instant.now() + " supervisor: " + line);
        log.flush();
    }
}
