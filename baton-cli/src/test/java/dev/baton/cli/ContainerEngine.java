package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real container engine for the docker runtime's tests: Podman (runc), or a Docker Engine of
 * the test's own ({@code dockerd} on a private socket and data root, no bridge and no iptables,
 * so its containers use the host's network). Outside CI a machine without one skips the test
 * with the reason; with CI=true it fails (.ci/run installs both).
 */
abstract class ContainerEngine implements AutoCloseable {
    /**
     * The machine's Podman run state (/run/libpod, its locks in /dev/shm), which every Podman storage
     * shares: ShipIT's servers' `system reset` clears it, after which Podman elsewhere takes its running
     * containers for a reboot's ("Refreshing container ... acquiring lock 0: file exists") and a
     * rollback's `podman port` prints nothing. The classes that run Podman hold it one at a time.
     */
    static final String PODMAN_RUN_STATE = "podman:/run/libpod";

    /** The engine's CLI as an argv prefix: {@code [podman, --runtime, runc]}. */
    abstract List<String> cli();

    /** baton.yml's {@code runtime:} section for this engine. */
    abstract String runtimeYaml();

    /** Makes image {@code tag} of the folder {@code rootfs}, whose command is {@code cmd} (a JSON array). */
    abstract void image(Path rootfs, String cmd, String tag) throws Exception;

    static ContainerEngine of(String name, Path work) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean busybox = Files.isExecutable(Path.of("/bin/busybox"));
        String binary = name.equals("docker") ? "/usr/sbin/dockerd" : "/usr/bin/podman";
        if (!root || !busybox || !Files.isExecutable(Path.of(binary))) {
            String why = "needs " + (name.equals("docker") ? "docker.io" : "podman runc") + " and busybox-static"
                    + " (apt-get install ...), as root";
            assertThat("true".equals(System.getenv("CI"))).as("CI " + why).isFalse();
            Assumptions.abort(why);
        }
        return name.equals("docker") ? new Docker() : new Podman();
    }

    /** Runs the engine's CLI with {@code args}; asserts it succeeds and returns its output. */
    String run(String... args) throws Exception {
        List<String> argv = argv(args);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }

    /** Runs the engine's CLI with {@code args}; returns its exit code, whatever it is. */
    int exit(String... args) throws Exception {
        Process p = new ProcessBuilder(argv(args)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(cli());
        argv.addAll(List.of(args));
        return argv;
    }

    /** {@code cli()} as a YAML flow sequence's items. */
    String cliYaml() {
        return String.join(", ", cli().stream().map(a -> "\"" + a + "\"").toList());
    }

    @Override
    public void close() throws Exception {
    }

    static final class Podman extends ContainerEngine {
        @Override
        List<String> cli() {
            return List.of("podman", "--runtime", "runc"); // crun fails on this kernel's cgroups
        }

        @Override
        String runtimeYaml() {
            return "runtime:\n  type: docker\n  cli: podman\n  args: [--runtime, runc]\n"
                    + "  run_args: [--init, --ulimit, \"nofile=1024:1024\", --ulimit, \"nproc=1024:1024\"]\n  prune: 8760h\n";
        }

        @Override
        void image(Path rootfs, String cmd, String tag) throws Exception {
            Path file = rootfs.resolveSibling("Containerfile");
            Files.writeString(file, "FROM scratch\nCOPY " + rootfs.getFileName() + "/ /\nCMD " + cmd + "\n");
            run("build", "-q", "-f", file.toString(), "-t", tag, rootfs.getParent().toString());
        }
    }

    /** A Docker Engine started for the test, stopped (with its containers and images) on close. */
    static final class Docker extends ContainerEngine {
        private final Path dir;
        private final Process daemon;
        private final String socket;

        Docker() throws Exception {
            // short: the daemon's sockets live under it (a Unix socket path has at most 107 bytes)
            dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
            socket = "unix://" + dir.resolve("docker.sock");
            daemon = new ProcessBuilder("dockerd", "--iptables=false", "--bridge=none", "--host", socket,
                    "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("x").toString(),
                    "--pidfile", dir.resolve("docker.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
            Await.until(() -> !daemon.isAlive() || answers(), "dockerd to answer on " + socket);
            assertThat(daemon.isAlive()).as("dockerd runs: " + Files.readString(dir.resolve("dockerd.log"))).isTrue();
        }

        private boolean answers() {
            try {
                return exit("version") == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        List<String> cli() {
            return List.of("docker", "-H", socket);
        }

        /** Where its API listens: a {@code DOCKER_HOST} value. */
        String host() {
            return socket;
        }

        @Override
        String runtimeYaml() {
            // no bridge here: the containers share the host's network (the -p publication is then moot)
            return "runtime:\n  type: docker\n  cli: docker\n  args: [-H, \"" + socket + "\"]\n"
                    + "  run_args: [--network, host, --init, --ulimit, \"nofile=1024:1024\"]\n  prune: 8760h\n";
        }

        @Override
        void image(Path rootfs, String cmd, String tag) throws Exception {
            Path tar = rootfs.resolveSibling("rootfs.tar");
            Process p = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            run("import", "--change", "CMD " + cmd, tar.toString(), tag);
        }

        @Override
        public void close() throws Exception {
            daemon.destroy(); // SIGTERM: dockerd stops its containers and containerd
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
            // dockerd leaves its default network namespace mounted in its exec root: unmounted, or the
            // folder (and a mount) would stay behind after every run
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" ")[1])
                    .filter(m -> m.startsWith(dir + "/")).sorted(Comparator.reverseOrder()).toList();
            for (String m : mounts) {
                new ProcessBuilder("umount", "-l", m).start().waitFor(30, TimeUnit.SECONDS);
            }
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(60, TimeUnit.SECONDS);
            assertThat(dir).as("the Docker Engine's folder is removed").doesNotExist();
        }
    }
}
