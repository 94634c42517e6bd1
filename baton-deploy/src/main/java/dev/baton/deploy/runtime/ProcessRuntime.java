package dev.baton.deploy.runtime;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.TextTail;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.probe.PortProbe;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code process} runtime: each colour of a service is a local process started with
 * {@code PORT} and {@code BATON_COLOR} in its environment, its output appended to
 * {@code <state>/logs/<service>-<colour>.log}, and its pid and start time kept in
 * {@code <state>/run/<service>-<colour>.pid} so a later Baton process can find and stop it
 * (the start time guards against a recycled pid).
 */
public final class ProcessRuntime implements ServiceRuntime {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private final Path stateDir;
    private final Host here;
    private final CpuPriority.StartGate startGate;

    /** @param here this machine, where priorities are changed ({@code nice}, {@code renice}) */
    public ProcessRuntime(Path stateDir, Host here) {
        this.stateDir = stateDir;
        this.here = here;
        this.startGate = new CpuPriority.StartGate(here);
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        cannotStart(service).ifPresent(why -> {
            throw new BatonException(ExitCode.FAILED, why);
        });
        Command c = startCommand(service, colour, startGate.start(service));
        try {
            DetachedProcess.start(c.argv(), c.env(), c.workDir(), log(service, colour), pidFile(service, colour),
                    StartMark.line(service, colour));
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "services." + service.name() + ": cannot start `"
                    + String.join(" ", service.argv()) + "` in " + service.workDir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> cannotStart(ServiceSpec service) {
        if (service.argv().isEmpty()) {
            return Optional.empty();
        }
        return Program.problem(service.argv().get(0), service.workDir(), service.env().getOrDefault("PATH", System.getenv("PATH")))
                .map(why -> "services." + service.name() + ".command: " + why);
    }

    /**
     * The service's argv in a session of its own, with its environment and PORT, BATON_COLOR,
     * BATON_HOST; its session's group and its threads low as {@code start} says.
     */
    static Command startCommand(ServiceSpec service, String colour, CpuPriority.Start start) {
        List<String> argv = new ArrayList<>();
        List<String> niced = CpuPriority.at(start.threadsLow() ? CpuPriority.LOW : 0, service.argv());
        // A session of its own: Ctrl-C on the deploying terminal must not reach the services it starts.
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString());
            argv.addAll(CpuPriority.inLowGroup(start, niced));
        } else {
            argv.addAll(niced); // in the deploying session: its group is not the colour's to lower
        }
        Map<String, String> env = new LinkedHashMap<>(service.env());
        env.put("PORT", Integer.toString(service.port(colour)));
        env.put("BATON_COLOR", colour);
        env.put("BATON_HOST", "127.0.0.1");
        return new Command(argv, env, service.workDir(), Command.DEFAULT_TIMEOUT);
    }

    @Override
    public List<Command> startCommands(ServiceSpec service, String colour) {
        return List.of(startCommand(service, colour, service.startLow() ? CpuPriority.Start.ALL_LOW : CpuPriority.Start.NORMAL));
    }

    /** The colour's session's group, and every thread of its process and their children, back to nice 0. */
    @Override
    public void raisePriority(ServiceSpec service, String colour) {
        Optional<ProcessHandle> h = handle(service, colour);
        if (!service.startLow() || h.isEmpty()) {
            return;
        }
        CommandResult group = here.run(CpuPriority.raiseGroup(h.get().pid()));
        if (!group.ok()) {
            throw new BatonException(ExitCode.FAILED, "raising " + service.name() + " " + colour
                    + " to normal CPU priority failed: " + group.tail(3));
        }
        List<String> argv = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
        Stream.concat(Stream.of(h.get()), h.get().descendants()).forEach(p -> {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                tasks.forEach(t -> argv.add(t.getFileName().toString()));
            } catch (IOException e) {
                // gone meanwhile: nothing to raise
            }
        });
        if (argv.size() > 4) {
            CommandResult r = here.run(new Command(argv, Map.of(), null, Duration.ofSeconds(30)));
            if (!r.ok()) {
                throw new BatonException(ExitCode.FAILED, "raising " + service.name() + " " + colour
                        + " to normal CPU priority failed: " + r.tail(3));
            }
        }
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        return handle(service, colour).isPresent();
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        Optional<ProcessHandle> h = handle(service, colour);
        if (h.isPresent()) {
            terminate(h.get(), service.stopGrace());
        }
        try {
            Files.deleteIfExists(pidFile(service, colour));
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot remove " + pidFile(service, colour) + ": " + IoReason.of(e), e);
        }
    }

    /** SIGTERM to the process and its children, then SIGKILL to whatever is left after {@code grace}. */
    public static void terminate(ProcessHandle process, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process);
        all.forEach(ProcessHandle::destroy);
        // Polled rather than onExit(): for a process another Baton started (not our child) the JDK
        // notices its exit only after backing off for up to seconds.
        if (!awaitExit(all, grace)) {
            all.stream().filter(ProcessRuntime::alive).forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(all, Duration.ofSeconds(5))) {
                throw new BatonException(ExitCode.FAILED, "process " + process.pid() + " survived SIGKILL");
            }
        }
    }

    /**
     * Alive and not a zombie: a service whose starter has exited belongs to init, and an init that
     * reaps slowly (as in some containers and VMs) leaves it a zombie for a second or more.
     */
    public static boolean alive(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return p.isAlive(); // no /proc: trust the JDK
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration within) {
        try {
            Wait.of("the processes to exit", within, Duration.ofMillis(5)).uninterruptibly().until(() ->
                    processes.stream().anyMatch(ProcessRuntime::alive) ? Probe.notYet("still running") : Probe.ok());
            return true;
        } catch (Wait.TimedOut e) {
            return false;
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return new StatePaths(stateDir).serviceLog(service.name(), colour);
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        try {
            return StartMark.since(TextTail.lines(log(service, colour), lines));
        } catch (IOException e) {
            return List.of("(cannot read " + log(service, colour) + ": " + IoReason.of(e) + ")");
        }
    }

    /** The live process of the colour of a service, if its pid file names one that still runs. */
    @Override
    public Optional<Long> pid(ServiceSpec service, String colour) {
        return handle(service, colour).map(ProcessHandle::pid);
    }

    public Optional<ProcessHandle> handle(ServiceSpec service, String colour) {
        Optional<ProcessHandle> recorded = handle(pidFile(service, colour));
        return recorded.isPresent() ? recorded : listening(service, colour);
    }

    /**
     * The colour's process when its pid file is gone or spoilt (deleted or edited by hand): what
     * listens on the colour's port with that port and colour in its environment, as Baton started
     * it. Without this a deploy would say it stopped the colour and leave it holding its port.
     */
    private Optional<ProcessHandle> listening(ServiceSpec service, String colour) {
        Integer port = colour == null ? null : service.ports().get(colour);
        if (port == null) {
            return Optional.empty(); // not a colour of this service (a router may serve a name baton.yml no longer has)
        }
        List<Long> ours = PortProbe.listeners(here, port).keySet().stream().filter(pid -> startedAs(pid, port, colour)).toList();
        // a server that forks its workers: the one whose parent is not one of them
        return ours.stream().map(ProcessHandle::of).flatMap(Optional::stream).filter(ProcessRuntime::alive)
                .filter(p -> p.parent().map(parent -> !ours.contains(parent.pid())).orElse(true)).findFirst();
    }

    /** Whether a process has {@code PORT=port} and {@code BATON_COLOR=colour} in its environment (false where that cannot be read). */
    static boolean startedAs(long pid, int port, String colour) {
        try {
            List<String> env = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8).split("\0"));
            return env.contains("PORT=" + port) && env.contains("BATON_COLOR=" + colour);
        } catch (IOException e) {
            return false;
        }
    }

    /** The live process a pid file ({@code "<pid> <start millis>"}) names, if it still runs. */
    public static Optional<ProcessHandle> handle(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            return ProcessHandle.of(pid).filter(ProcessRuntime::alive).filter(p -> started == 0
                    || p.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path pidFile(ServiceSpec service, String colour) {
        return new StatePaths(stateDir).servicePid(service.name(), colour);
    }
}
