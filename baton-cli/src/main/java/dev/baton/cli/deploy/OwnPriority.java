package dev.baton.cli.deploy;

import dev.baton.deploy.pipeline.Pipeline;
import dev.baton.deploy.runtime.CpuPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The deploying CLI's own CPU priority: a deploy runs below the version it serves (its threads at
 * nice 10), and what it launches to outlive it (the built-in router) is launched back at the
 * priority the CLI started with. Done only where this login may raise a priority again, so the
 * router never inherits a low one for good.
 */
final class OwnPriority {
    static final int LOW = 10;

    private OwnPriority() {}

    /**
     * Every thread of this process to nice {@value #LOW}, if a priority can be raised back here;
     * true when done. A step running beside the others (the lint) keeps its priority: the deploy
     * waits for it, while the new colour's start, which it runs beside, is not waited for.
     */
    static boolean lower() {
        if (CpuPriority.ownNiceness() >= LOW || run(List.of("nice", "-n", "1", "/bin/sh", "-c", "renice -n 0 -p $$ >/dev/null 2>&1")) != 0) {
            return false;
        }
        List<String> argv = new ArrayList<>(List.of("renice", "-n", Integer.toString(LOW), "-p"));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.filter(t -> !comm(t).startsWith(Pipeline.BESIDE_THREAD.substring(0, 12))).forEach(t -> argv.add(t.getFileName().toString()));
        } catch (IOException e) {
            return false;
        }
        return run(argv) == 0;
    }

    /** Every thread of this process back to nice 0 (after {@link #lower}, which found that it may). */
    static void raise() {
        List<String> argv = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> argv.add(t.getFileName().toString()));
        } catch (IOException e) {
            return; // stays low: slower, never wrong
        }
        run(argv);
    }

    /** {@code argv} at nice 0 when this process runs niced: a process that outlives the deploy must not stay low. */
    static List<String> normal(List<String> argv) {
        int n = CpuPriority.ownNiceness();
        if (n <= 0) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of("nice", "-n", Integer.toString(-n)));
        out.addAll(argv);
        return out;
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // gone meanwhile
        }
    }

    private static int run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
