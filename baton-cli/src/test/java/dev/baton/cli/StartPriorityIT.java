package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.runtime.SessionGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
