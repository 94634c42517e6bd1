package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full disk where StartTarget writes the new colour's pid file: a small tmpfs mounted on the
 * state folder's run/ (root only; the test says so and skips elsewhere, and fails under CI,
 * which runs as root). Before, the process it had spawned kept running untracked on the port,
 * and later deploys routed to it.
 */
class FullDiskIT extends DemoTestBase {
    @Test
    void aFullDiskAtStartTargetLeavesNothingRunningAndTheOldColourServing() throws Exception {
        Path run = Files.createDirectories(demo.ws.stateDir().resolve("run"));
        boolean mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", run.toString())
                .inheritIO().start().waitFor() == 0;
        if (!mounted) {
            assertThat("true".equals(System.getenv("CI"))).as("CI runs as root and can mount a tmpfs").isFalse();
            assumeTrue(false, "cannot mount a tmpfs here (not root?): the full-disk test needs one");
        }
        try {
            demo.deployed(1);
            Path filler = run.resolve("filler");
            fill(filler);

            BatonProcess.Result r = demo.deploy(2);

            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("FAILED at StartTarget", "No space left on device", "traffic stays on blue");
            int green = demo.ws.port("GREEN");
            // whether or not it had bound its port yet: no process may be left that was started as green
            assertThat(startedAs("green", green)).as("nothing the failed start spawned is left").isEmpty();
            assertThat(listening(green)).isFalse();
            assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

            Files.delete(filler);
            BatonProcess.Result next = demo.deploy(2);
            assertThat(next.exitCode()).as("with space again: " + next.err()).isZero();
            assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        } finally {
            demo.ws.stopAll(); // its pid files are on the tmpfs
            new ProcessBuilder("umount", "-l", run.toString()).inheritIO().start().waitFor();
        }
    }

    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // ENOSPC: the tmpfs is full
        }
    }

    /**
     * Processes whose environment says Baton started them as {@code colour} on {@code port} (from
     * /proc): this workspace's, not those of tests running beside it.
     */
    private static List<Long> startedAs(String colour, int port) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return ("\0" + new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"))))
                        .transform(env -> env.contains("\0BATON_COLOR=" + colour + "\0") && env.contains("\0PORT=" + port + "\0"));
            } catch (IOException | RuntimeException e) {
                return false; // gone, or not ours to read
            }
        }).map(ProcessHandle::pid).toList();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
