package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.runtime.SessionGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code start_priority: low} (the default) for real: while a deploy's target starts and its
 * migration runs, the target and the deploying CLI run at nice 10 in every thread, and the target's
 * session's group at 10 too (the kernel weighs sessions against each other before threads), the
 * serving colour and the router at 0; the target is raised to 0 before traffic moves.
 */
class StartPriorityIT extends DemoTestBase {
    @BeforeEach
    void lowStart() {
        demo.ws.edit("    start_priority: normal\n", ""); // the default, low
    }

    @Test
    void theStartingColourAndTheCliRunBelowTheServingOneUntilTheSwitch() throws Exception {
        demo.deployed(1);
        Process deploy = demo.deployHeldInMigration(work.resolve("deploy.out"));
        try {
            assertThat(nice(pid("api-green"))).as("the target, while it is migrated for").containsOnly(10);
            assertThat(SessionGroup.nice(pid("api-green"))).as("the target's session's group").isEqualTo(10);
            assertThat(SessionGroup.nice(pid("api-blue"))).as("the serving colour's").isZero();
            assertThat(SessionGroup.nice(pid("router"))).as("the router's").isZero();
            assertThat(nice(pid("api-blue"))).as("the colour serving").containsOnly(0);
            assertThat(nice(pid("router"))).as("the router").containsOnly(0);
            assertThat(nice(deploy.pid())).as("the deploying CLI, once its target starts").containsOnly(10);
            demo.openGate();
            assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            deploy.destroyForcibly();
        }
        assertThat(deploy.exitValue()).as(Files.readString(work.resolve("deploy.out"))).isZero();
        assertThat(nice(pid("api-green"))).as("raised before traffic moved").containsOnly(0);
        assertThat(SessionGroup.nice(pid("api-green"))).as("its group too").isZero();
        assertThat(nice(pid("router"))).containsOnly(0);
    }

    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(demo.ws.stateDir().resolve("run/" + name + ".pid")).strip().split(" ")[0]);
    }

    /** The niceness of every thread of the process and its descendants. */
    @Test
    void aDeployRunInsideAnotherProgramLeavesThatProgramsPriorityAlone() throws Exception {
        // the tests run deploys in this JVM: the CLI's own lowering (its process, every thread at nice
        // 10 while the target starts) must only happen where the deploy has the process to itself
        AtomicInteger highest = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            while (!done.get()) {
                highest.accumulateAndGet(ownHighestNice(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a sample every 2 ms
            }
        }, "nice-watch");
        watch.start();
        try {
            demo.deployed(1);
            demo.deployed(2);
        } finally {
            done.set(true);
            watch.join();
        }
        assertThat(highest.get()).as("the highest nice of this JVM's threads during two deploys").isZero();
    }

    /** The highest niceness among this JVM's threads now. */
    private static int ownHighestNice() {
        int highest = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    highest = Math.max(highest, Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return highest;
    }

    static List<Integer> nice(long pid) throws IOException {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        List<Integer> out = new ArrayList<>();
        for (ProcessHandle h : Stream.concat(Stream.of(p), p.descendants()).toList()) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + h.pid() + "/task"))) {
                for (Path t : tasks.toList()) {
                    String stat = Files.readString(t.resolve("stat"));
                    out.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                }
            }
        }
        return out;
    }
}
