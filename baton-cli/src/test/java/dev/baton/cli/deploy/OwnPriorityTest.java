package dev.baton.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.deploy.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The deploying CLI lowers its own threads, but not a step running beside the others, and raises them again (real renice on this JVM). */
@Isolated("renices every thread of this JVM")
class OwnPriorityTest {
    @Test
    void everyThreadGoesToNice10ButAStepBesideTheOthersAndBackTo0() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        long[] tid = {0};
        CountDownLatch named = new CountDownLatch(1);
        Thread beside = new Thread(() -> {
            tid[0] = currentTid();
            named.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Pipeline.BESIDE_THREAD + "LintMigrations");
        beside.start();
        named.await();
        try {
            boolean lowered = OwnPriority.lower();
            if (!lowered) {
                assertThat("true".equals(System.getenv("CI"))).as("CI runs as root, which may raise a priority back").isFalse();
                assumeTrue(false, "this login cannot raise a priority back, so the CLI does not lower itself");
            }
            long self = currentTid();
            assertThat(nice(self)).as("the deploying thread").isEqualTo(10);
            assertThat(nice(tid[0])).as("the step beside").isZero();
            OwnPriority.raise();
            assertThat(nice(self)).as("the deploying thread, once traffic has moved").isZero();
        } finally {
            done.countDown();
            beside.join();
            OwnPriority.raise(); // the rest of this test JVM's work at its own priority again
        }
    }

    /** The kernel's id of the calling thread (/proc/thread-self links to {@code <pid>/task/<tid>}). */
    private static long currentTid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int nice(long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
