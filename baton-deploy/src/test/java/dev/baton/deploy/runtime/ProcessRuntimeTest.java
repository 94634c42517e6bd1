package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.local.LocalHost;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime against real processes. */
class ProcessRuntimeTest {
    @TempDir
    Path state;

    ServiceSpec service(String script, Duration grace) {
        return new ServiceSpec("svc", List.of("/bin/sh", "-c", script), Map.of("GREETING", "hi"), state,
                Map.of("blue", 7001, "green", 7002), List.of(), null, null, null, grace, null, null);
    }

    @Test
    void startsWithPortAndColourLogsOwnerOnlyAndStopsWithSigterm() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = service("echo \"$GREETING port=$PORT colour=$BATON_COLOR\"; exec sleep 60", Duration.ofSeconds(5));
        rt.start(s, "green");
        Path log = rt.log(s, "green");
        Await.until(() -> read(log).contains("hi port=7002 colour=green"), "the greeting in the log");
        assertThat(rt.running(s, "green")).isTrue();
        assertThat(rt.running(s, "blue")).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("logs")))).isEqualTo("rwx------");

        long started = System.nanoTime();
        rt.stop(s, "green");
        assertThat(rt.running(s, "green")).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("SIGTERM is enough for sleep").isLessThan(Duration.ofSeconds(4));
        assertThat(state.resolve("run/svc-green.pid")).doesNotExist();
    }

    @Test
    void aProgramThatIsNotThereIsNamedBeforeAnythingStarts() {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = new ServiceSpec("web", List.of("pythn3", "app.py"), Map.of("PATH", "/usr/bin:/bin"), state,
                Map.of("blue", 7001, "green", 7002), List.of(), null, null, null, Duration.ofSeconds(5), null, null);
        assertThatThrownBy(() -> rt.start(s, "green")).isInstanceOf(BatonException.class)
                .hasMessageContaining("services.web.command: `pythn3` is not a program on this machine's PATH (/usr/bin:/bin)");
        assertThat(state.resolve("run/web-green.pid")).doesNotExist();
        assertThat(rt.running(s, "green")).isFalse();
    }

    @Test
    void aTailShowsThisStartsOutputNotAnEarlierOnesThoughTheLogKeepsBoth() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec first = service("echo from the first start; exit 1", Duration.ofSeconds(5));
        rt.start(first, "blue");
        Await.until(() -> read(rt.log(first, "blue")).contains("from the first start"), "the first start's line");
        ServiceSpec quiet = service("exec sleep 60", Duration.ofSeconds(5));
        rt.start(quiet, "blue");
        try {
            assertThat(rt.logTail(quiet, "blue", 10)).as("nothing since this start").isEmpty();
            assertThat(read(rt.log(quiet, "blue"))).contains("from the first start");
        } finally {
            rt.stop(quiet, "blue");
        }
    }

    @Test
    void aLogGrownOverItsLimitIsKeptAsTheOneEarlierGenerationWhenTheColourStartsAgain() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = service("echo started again; exec sleep 60", Duration.ofSeconds(5));
        Path log = rt.log(s, "blue");
        Files.createDirectories(log.getParent());
        try (RandomAccessFile months = new RandomAccessFile(log.toFile(), "rw")) {
            months.setLength(DetachedProcess.ROTATE_AT + 1); // months of output (sparse: no disk used)
        }
        rt.start(s, "blue");
        try {
            Await.until(() -> read(log).contains("started again"), "the new start's output");
            assertThat(Files.size(log.resolveSibling("svc-blue.log.1"))).isEqualTo(DetachedProcess.ROTATE_AT + 1);
            assertThat(Files.size(log)).isLessThan(100);
        } finally {
            rt.stop(s, "blue");
        }
    }

    @Test
    void aColourIsNotAChildOfTheDeployingJvmSoThatItsExitWaitsForNothing() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = service("echo \"ready $$\"; exec sleep 60", Duration.ofSeconds(5));
        rt.start(s, "blue");
        try {
            ProcessHandle colour = rt.handle(s, "blue").orElseThrow();
            Await.until(() -> read(rt.log(s, "blue")).contains("ready " + colour.pid()), "the colour's own pid in its log");
            assertThat(ProcessHandle.current().children().map(ProcessHandle::pid).toList())
                    .as("a JDK 17 JVM exits 0.3 s late while it waits for a child").doesNotContain(colour.pid());
            String[] pidFile = Files.readString(state.resolve("run/svc-blue.pid")).trim().split(" ");
            assertThat(Long.parseLong(pidFile[0])).isEqualTo(colour.pid());
            assertThat(Long.parseLong(pidFile[1])).isEqualTo(colour.info().startInstant().orElseThrow().toEpochMilli());
        } finally {
            rt.stop(s, "blue");
        }
    }

    @Test
    void aProcessIgnoringSigtermIsKilledAfterItsGrace() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = service("trap '' TERM; echo ready; while true; do sleep 0.05; done", Duration.ofMillis(300));
        rt.start(s, "blue");
        Await.until(() -> read(rt.log(s, "blue")).contains("ready"), "the service ready");
        long pid = rt.handle(s, "blue").orElseThrow().pid();

        rt.stop(s, "blue");

        assertThat(ProcessHandle.of(pid).map(ProcessRuntime::alive).orElse(false)).isFalse();
        assertThat(rt.running(s, "blue")).isFalse();
    }

    @Test
    void aRecycledPidIsNotMistakenForTheService() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec s = service("exec sleep 60", Duration.ofSeconds(1));
        // a pid file naming a live process (this JVM) with another start time
        Files.createDirectories(state.resolve("run"));
        Files.writeString(state.resolve("run/svc-blue.pid"), ProcessHandle.current().pid() + " 12345\n");
        assertThat(rt.running(s, "blue")).isFalse();
        rt.stop(s, "blue"); // must not signal this JVM
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aColourWhosePidFileIsGoneOrSpoiltIsFoundByItsPortAndEnvironmentAndStopped() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        int port = Ports.free();
        String py = "import os, socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', int(os.environ['PORT'])))\ns.listen()\n"
                + "print('ready', flush=True)\ntime.sleep(60)\n";
        ServiceSpec s = new ServiceSpec("svc", List.of("python3", "-c", py), Map.of(), state, Map.of("blue", port, "green", Ports.free()),
                List.of(), null, null, null, Duration.ofSeconds(2), null, null);
        Path pidFile = state.resolve("run/svc-blue.pid");
        rt.start(s, "blue");
        Await.until(() -> read(rt.log(s, "blue")).contains("ready"), "the service listening");
        long pid = rt.handle(s, "blue").orElseThrow().pid();

        Files.writeString(pidFile, "not a pid\n"); // edited by hand
        assertThat(rt.pid(s, "blue")).as("found by its port").contains(pid);
        Files.delete(pidFile); // or deleted
        assertThat(rt.running(s, "blue")).isTrue();
        assertThat(rt.running(s, "green")).isFalse();

        rt.stop(s, "blue");
        assertThat(ProcessHandle.of(pid).map(ProcessRuntime::alive).orElse(false)).as("stopped, not left holding its port").isFalse();
    }

    @Test
    void aProcessOnTheColoursPortThatBatonDidNotStartIsNotTakenForIt() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        int port = Ports.free();
        ServiceSpec s = new ServiceSpec("svc", List.of("true"), Map.of(), state, Map.of("blue", port, "green", Ports.free()),
                List.of(), null, null, null, Duration.ofSeconds(2), null, null);
        try (ServerSocket foreign = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(rt.running(s, "blue")).as("this JVM listens there, without BATON_COLOR=blue").isFalse();
            assertThat(rt.running(s, "purple")).as("a colour baton.yml does not have (a router may serve one)").isFalse();
            assertThat(rt.running(s, null)).as("a router that serves no colour yet").isFalse();
            rt.stop(s, "blue"); // must not signal this JVM
            assertThat(foreign.isClosed()).isFalse();
        }
    }

    @Test
    void aStartingColourRunsLowInEveryThreadUntilRaised() throws Exception {
        ProcessRuntime rt = new ProcessRuntime(state, new LocalHost());
        ServiceSpec base = threaded(state);
        rt.start(base, "green");
        try {
            Await.until(() -> read(rt.log(base, "green")).contains("ready"), "the service ready");
            ProcessHandle p = rt.handle(base, "green").orElseThrow();
            assertThat(niceOfEveryThread(p)).as("started low: every thread of it and its child").containsOnly(CpuPriority.LOW)
                    .hasSizeGreaterThanOrEqualTo(5);
            assertThat(SessionGroup.nice(p.pid())).as("and its session's group, where a niceness alone counts for nothing")
                    .isEqualTo(CpuPriority.LOW);
            assertThat(SessionGroup.nice(ProcessHandle.current().pid())).as("the deploying session's group left alone").isZero();

            rt.raisePriority(base, "green");

            assertThat(niceOfEveryThread(p)).as("raised before it takes traffic").containsOnly(0);
            assertThat(SessionGroup.nice(p.pid())).as("its group raised too").isZero();
        } finally {
            rt.stop(base, "green");
        }
        ServiceSpec normal = new ServiceSpec("svc", List.of("sleep", "60"), Map.of(), state, Map.of("blue", 7001, "green", 7002),
                List.of(), null, null, null, Duration.ofSeconds(2), null, null, false, false);
        rt.start(normal, "blue");
        try {
            assertThat(niceOfEveryThread(rt.handle(normal, "blue").orElseThrow())).containsOnly(0);
            assertThat(SessionGroup.nice(rt.handle(normal, "blue").orElseThrow().pid())).isZero();
        } finally {
            rt.stop(normal, "blue");
        }
    }

    @Test
    void aProcessOutsideAnySessionGroupIsLeftAloneByTheRaise() throws Exception {
        // a process in the root group, as one started by init without a session of its own (a CI
        // runner, a service) is: /proc/<pid>/autogroup is empty, and that group's weight cannot be set
        long pid;
        try (var procs = Files.list(Path.of("/proc"))) {
            pid = procs.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+")).map(Long::parseLong)
                    .filter(n -> Files.exists(Path.of("/proc/" + n + "/autogroup")) && read(Path.of("/proc/" + n + "/autogroup")).isEmpty())
                    .findFirst().orElseThrow(() -> new AssertionError("no process in the root group here (kthreadd is, on Linux)"));
        }
        var raised = new LocalHost().run(CpuPriority.raiseGroup(pid));
        assertThat(raised.ok()).as("raising pid " + pid + ": " + raised.tail(3)).isTrue();
        assertThat(read(Path.of("/proc/" + pid + "/autogroup"))).isEmpty();
    }

    /**
     * A service with start_priority: low, threads of its own and a child process, as a JVM or a web
     * server has; it prints "ready" once they run.
     */
    static ServiceSpec threaded(Path dir) {
        String py = "import threading, time, subprocess\nsubprocess.Popen(['sleep', '60'])\n"
                + "for _ in range(3): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
                + "print('ready', flush=True)\ntime.sleep(60)\n";
        return new ServiceSpec("svc", List.of("python3", "-c", py), Map.of(), dir, Map.of("blue", 7001, "green", 7002),
                List.of(), null, null, null, Duration.ofSeconds(2), null, null, false, true);
    }

    /** The niceness of each thread of the process and its descendants, from /proc/<pid>/task/<tid>/stat. */
    static List<Integer> niceOfEveryThread(ProcessHandle p) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (ProcessHandle h : Stream.concat(Stream.of(p), p.descendants()).toList()) {
            try (var tasks = Files.list(Path.of("/proc/" + h.pid() + "/task"))) {
                for (Path t : tasks.toList()) {
                    String stat = Files.readString(t.resolve("stat"));
                    out.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                }
            }
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
