package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code start_priority: low} for a login that may not raise a niceness back (most deploy users):
 * the colour's threads start at nice 0, and its session's group, which any login may lower and
 * raise again, at 10 until it is raised. Real processes of the user nobody, started through the
 * runtime of servers reached over SSH (its commands run here as nobody with setpriv).
 */
class UnprivilegedStartTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    Path dir;

    @BeforeEach
    void asRoot() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(SETPRIV)) {
            assertThat("true".equals(System.getenv("CI"))).as("CI runs as root, with util-linux's setpriv").isFalse();
            Assumptions.abort("needs root and " + SETPRIV + " to run a service as the user nobody");
        }
        dir = Files.createTempDirectory("baton-unprivileged");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // nobody's logs and pid files
    }

    @AfterEach
    void removeDir() throws IOException {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aLoginThatCannotRaiseThreadsStillStartsItsColourInALowGroup() throws Exception {
        HostProcessRuntime rt = new HostProcessRuntime(new AsNobody(), dir.toString(), "127.0.0.1");
        ServiceSpec svc = ProcessRuntimeTest.threaded(dir);
        rt.start(svc, "green");
        try {
            Path log = dir.resolve("logs/svc-green.log");
            Await.until(() -> ProcessRuntimeTest.read(log).contains("ready"), "the service ready");
            ProcessHandle p = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("run/svc-green.pid")).strip())).orElseThrow();
            assertThat(p.info().user()).contains("nobody");
            assertThat(ProcessRuntimeTest.niceOfEveryThread(p)).as("threads this login could not raise back: not lowered")
                    .containsOnly(0).hasSizeGreaterThanOrEqualTo(4);
            assertThat(SessionGroup.nice(p.pid())).as("its session's group, which it can raise").isEqualTo(CpuPriority.LOW);

            rt.raisePriority(svc, "green");

            assertThat(SessionGroup.nice(p.pid())).as("raised before it takes traffic").isZero();
            assertThat(ProcessRuntimeTest.read(log)).doesNotContain("cannot", "error");
        } finally {
            rt.stop(svc, "green");
        }
    }

    /** This machine, every command run as the user nobody. */
    static final class AsNobody implements Host {
        private final LocalHost local = new LocalHost();

        @Override
        public String name() {
            return "nobody@local";
        }

        @Override
        public CommandResult run(Command command, Consumer<String> lines) {
            List<String> argv = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
            argv.addAll(command.argv());
            return local.run(new Command(argv, command.env(), command.workDir(), command.timeout()), lines);
        }

        @Override
        public CommandResult pipe(Command command, InputStream in, OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void upload(Path local, String remote) {
            throw new UnsupportedOperationException();
        }
    }
}
