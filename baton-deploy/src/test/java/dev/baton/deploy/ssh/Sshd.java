package dev.baton.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.SshSettings;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH server for one test: its own host key, a user key in its authorized_keys, on a
 * free loopback port. Outside CI a machine without sshd skips the test with the reason; with
 * CI=true a missing sshd fails it (.ci/run installs openssh-server).
 */
public final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    public final Path dir;
    public final int port;
    public final Path userKey;
    public final Path knownHosts;
    public final String user = System.getProperty("user.name");
    public final String address;
    private final Process process;

    public Sshd(Path dir) throws Exception {
        this(dir, "127.0.0.1", true);
    }

    public Sshd(Path dir, String address) throws Exception {
        this(dir, address, true);
    }

    /** @param sftp whether it offers the sftp subsystem (most servers do) */
    public Sshd(Path dir, String address, boolean sftp) throws Exception {
        this(dir, address, sftp, Map.of());
    }

    /**
     * An sshd listening on {@code address}, a loopback address such as 127.0.0.2 standing for another
     * server, whose sessions get {@code env} (a server of its own: e.g. its own container storage).
     */
    public Sshd(Path dir, String address, boolean sftp, Map<String, String> env) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            assertThat("true".equals(System.getenv("CI"))).as("CI must have " + SSHD + " (apt-get install openssh-server)").isFalse();
            Assumptions.abort("no " + SSHD + " on this machine (apt-get install openssh-server); skipping SSH tests");
        }
        this.dir = dir;
        keygen(dir.resolve("host_key"));
        userKey = dir.resolve("user_key");
        keygen(userKey);
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        port = Ports.free();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress " + address, "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PermitRootLogin prohibit-password", "LogLevel ERROR",
                // bash reads ~/.bashrc for a command run by sshd only in a first-level shell; the
                // login's rc files are the server's business, not what these tests measure (on a
                // machine whose root .bashrc runs `pyenv init`, that costs 1.7 s per command)
                // only the first SetEnv line counts: every variable on it
                "SetEnv SHLVL=1" + env.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining()), sftp ? "Subsystem sftp internal-sftp" : "", ""));
        if ("root".equals(user)) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        }
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[" + address + "]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        this.address = address;
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void keygen(Path file) throws Exception {
        Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "baton-test", "-f", file.toString()))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    /** Drops every connection, as a network failure or a restarted server would: kills the per-connection sshd processes. */
    public void dropConnections() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        children.forEach(p -> p.onExit().join());
    }

    public SshSettings settings(Path knownHosts, boolean trustOnFirstUse) {
        return new SshSettings(user, port, userKey, knownHosts, trustOnFirstUse, Duration.ofSeconds(10), null);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
