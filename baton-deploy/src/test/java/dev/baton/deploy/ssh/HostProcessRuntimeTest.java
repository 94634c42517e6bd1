package dev.baton.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.runtime.DetachedProcess;
import dev.baton.deploy.runtime.HostProcessRuntime;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime on a server over SSH (a real sshd on loopback). */
class HostProcessRuntimeTest {
    @TempDir
    Path dir;

    Sshd sshd;
    SshHost host;
    HostProcessRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        sshd = new Sshd(dir);
        host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false));
        runtime = new HostProcessRuntime(host, dir.resolve("server state").toString(), "127.0.0.1");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (sshd != null) { // null when the test was skipped: no sshd outside CI
            sshd.close();
        }
    }

    ServiceSpec service(String script, Duration grace) {
        return new ServiceSpec("api", List.of("/bin/sh", "-c", script), Map.of("GREETING", "it's me"), dir,
                Map.of("blue", 7101, "green", 7102), List.of(), null, null, null, grace, null, null);
    }

    @Test
    void startsDetachedWithPortColourAndEnvLogsPrivatelyAndStops() throws Exception {
        ServiceSpec s = service("echo \"$GREETING on $PORT as $BATON_COLOR in $(pwd)\"; exec sleep 60", Duration.ofSeconds(5));
        runtime.start(s, "green");
        Await.until(() -> runtime.logTail(s, "green", 5).stream().anyMatch(l -> l.contains("it's me on 7102 as green in " + dir)), "the greeting in the log");
        assertThat(runtime.running(s, "green")).as("it outlives the SSH command that started it").isTrue();
        assertThat(runtime.running(s, "blue")).isFalse();
        Path log = runtime.log(s, "green");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");

        runtime.stop(s, "green");
        assertThat(runtime.running(s, "green")).isFalse();
    }

    @Test
    void aColourWhosePidFileIsGoneOrSpoiltIsFoundByItsPortAndEnvironmentAndStopped() throws Exception {
        int port = Ports.free();
        String py = "import os, socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', int(os.environ['PORT'])))\ns.listen()\n"
                + "print('ready', flush=True)\ntime.sleep(60)\n";
        ServiceSpec s = new ServiceSpec("api", List.of("python3", "-c", py), Map.of(), dir, Map.of("blue", port, "green", Ports.free()),
                List.of(), null, null, null, Duration.ofSeconds(2), null, null);
        runtime.start(s, "blue");
        Await.until(() -> runtime.logTail(s, "blue", 5).contains("ready"), "the service listening");
        Path pidFile = dir.resolve("server state/run/api-blue.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());

        Files.writeString(pidFile, "not a pid\n"); // edited by hand
        assertThat(runtime.running(s, "blue")).as("found by its port").isTrue();
        Files.delete(pidFile); // or deleted
        assertThat(runtime.running(s, "blue")).isTrue();
        assertThat(runtime.running(s, "green")).isFalse();
        assertThat(runtime.running(s, null)).as("a router that serves no colour yet").isFalse();

        runtime.stop(s, "blue");
        assertThat(ProcessHandle.of(pid).map(ProcessRuntime::alive).orElse(false)).as("stopped (a zombie at most), not left holding its port").isFalse();
        assertThat(runtime.running(s, "blue")).isFalse();
    }

    @Test
    void aLogGrownOverItsLimitIsKeptAsTheOneEarlierGenerationWhenTheColourStartsAgain() throws Exception {
        ServiceSpec s = service("echo started again; exec sleep 60", Duration.ofSeconds(5));
        Path log = dir.resolve("server state/logs/api-blue.log");
        Files.createDirectories(log.getParent());
        try (RandomAccessFile months = new RandomAccessFile(log.toFile(), "rw")) {
            months.setLength(DetachedProcess.ROTATE_AT + 1); // sparse: no disk used
        }
        runtime.start(s, "blue");
        try {
            Await.until(() -> runtime.logTail(s, "blue", 5).contains("started again"), "the new start's output");
            assertThat(Files.size(dir.resolve("server state/logs/api-blue.log.1"))).isEqualTo(DetachedProcess.ROTATE_AT + 1);
            assertThat(Files.size(log)).isLessThan(100);
        } finally {
            runtime.stop(s, "blue");
        }
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterItsGrace() {
        ServiceSpec s = service("trap '' TERM; echo ready; while true; do sleep 0.05; done", Duration.ofMillis(500));
        runtime.start(s, "blue");
        Await.until(() -> runtime.logTail(s, "blue", 5).contains("ready"), "the service ready");
        long start = System.nanoTime();
        runtime.stop(s, "blue");
        assertThat(runtime.running(s, "blue")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aProcessThatExitsAtOnceIsNotRunning() {
        ServiceSpec s = service("echo bye; exit 3", Duration.ofSeconds(1));
        runtime.start(s, "blue");
        Await.until(() -> !runtime.running(s, "blue"), "the process to exit");
        assertThat(runtime.logTail(s, "blue", 5)).containsExactly("bye");
        ServiceSpec quiet = service("exit 0", Duration.ofSeconds(1));
        runtime.start(quiet, "blue");
        Await.until(() -> !runtime.running(quiet, "blue"), "the process to exit");
        assertThat(runtime.logTail(quiet, "blue", 5)).as("this start's output, not the one before").isEmpty();
    }

    @Test
    void aProgramThatIsNotOnTheServerIsNamedBeforeAnythingStarts() throws Exception {
        ServiceSpec misspelt = new ServiceSpec("api", List.of("pythn3", "app.py"), Map.of(), dir,
                Map.of("blue", 7101, "green", 7102), List.of(), null, null, null, Duration.ofSeconds(1), null, null);
        assertThatThrownBy(() -> runtime.start(misspelt, "blue")).isInstanceOf(BatonException.class)
                .hasMessageContaining("web-1: services.api: cannot start `pythn3 app.py`")
                .hasMessageContaining("pythn3 is not a program on this server's PATH (");
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\nexec sleep 60\n");
        ServiceSpec notExecutable = new ServiceSpec("api", List.of("./run.sh"), Map.of(), dir,
                Map.of("blue", 7101, "green", 7102), List.of(), null, null, null, Duration.ofSeconds(1), null, null);
        assertThatThrownBy(() -> runtime.start(notExecutable, "blue")).hasMessageContaining("./run.sh is not an executable file in " + dir);
        assertThat(runtime.running(notExecutable, "blue")).isFalse();

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        runtime.start(notExecutable, "blue");
        assertThat(runtime.running(notExecutable, "blue")).isTrue();
        runtime.stop(notExecutable, "blue");
    }
}
