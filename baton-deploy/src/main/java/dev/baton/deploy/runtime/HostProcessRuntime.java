package dev.baton.deploy.runtime;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code process} runtime on a server reached through a {@link Host} (over SSH): each colour
 * of a service is a process started in a session of its own with {@code PORT} and
 * {@code BATON_COLOR}, its output appended to {@code <dir>/logs/<service>-<colour>.log} and its
 * pid in {@code <dir>/run/<service>-<colour>.pid} on the server. The small scripts below are
 * Baton's own, fixed text; everything from the configuration reaches them as separate
 * arguments ({@code sh -c SCRIPT sh ARG...}), never pasted into them.
 */
public final class HostProcessRuntime implements ServiceRuntime {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** $1 log, $2 pid file, $3 folder, the rest the service's argv. */
    static final String START = "umask 077; log=$1; pid=$2; dir=$3; shift 3\n"
            + "mkdir -p \"${log%/*}\" \"${pid%/*}\" && cd \"$dir\" || exit 1\n"
            + "setsid \"$@\" >>\"$log\" 2>&1 </dev/null &\n"
            + "echo $! >\"$pid\"\n";

    /** $1 pid file: exit 0 if the process it names runs (a zombie does not). */
    static final String RUNNING = "pid=$(cat \"$1\" 2>/dev/null) || exit 1\n"
            + "state=$(ps -o stat= -p \"$pid\" 2>/dev/null) || exit 1\n"
            + "case $state in Z*) exit 1;; esac\n";

    /** $1 pid file, $2 grace in tenths of a second: TERM to its process group, KILL after the grace. */
    static final String STOP = "pid=$(cat \"$1\" 2>/dev/null) || exit 0\n"
            + "alive() { s=$(ps -o stat= -p \"$pid\" 2>/dev/null) || return 1; case $s in Z*) return 1;; esac; }\n"
            + "kill -TERM -- \"-$pid\" 2>/dev/null || kill -TERM \"$pid\" 2>/dev/null\n"
            + "i=0; while alive; do\n"
            + "  if [ \"$i\" -ge \"$2\" ]; then kill -KILL -- \"-$pid\" 2>/dev/null || kill -KILL \"$pid\" 2>/dev/null; fi\n"
            + "  sleep 0.1; i=$((i+1))\n"
            + "done\nrm -f \"$1\"\n";

    private final Host host;
    private final String dir;
    private final String bind;

    /**
     * @param dir the folder on the server for logs and pid files
     * @param bind the address the services should listen on (given to them as BATON_HOST)
     */
    public HostProcessRuntime(Host host, String dir, String bind) {
        this.host = host;
        this.dir = dir;
        this.bind = bind;
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", START, "baton-start", log(service, colour).toString(),
                pidFile(service, colour), service.workDir().toString()));
        argv.addAll(service.argv());
        Map<String, String> env = new HashMap<>(service.env());
        env.put("PORT", Integer.toString(service.port(colour)));
        env.put("BATON_COLOR", colour);
        env.put("BATON_HOST", bind); // where health checks and the router reach it
        CommandResult r = host.run(new Command(argv, env, null, DEADLINE));
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": services." + service.name() + ": cannot start `"
                    + String.join(" ", service.argv()) + "` in " + service.workDir() + ":\n" + r.tail(5));
        }
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        return host.run(new Command(List.of("/bin/sh", "-c", RUNNING, "baton-running", pidFile(service, colour)), Map.of(),
                null, DEADLINE)).ok();
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        long tenths = Math.max(1, service.stopGrace().toMillis() / 100);
        CommandResult r = host.run(new Command(List.of("/bin/sh", "-c", STOP, "baton-stop", pidFile(service, colour),
                Long.toString(tenths)), Map.of(), null, service.stopGrace().plus(DEADLINE)));
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": stopping " + service.name() + " " + colour
                    + " failed:\n" + r.tail(5));
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return new StatePaths(Path.of(dir)).serviceLog(service.name(), colour);
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        CommandResult r = host.run(new Command(List.of("tail", "-n", Integer.toString(lines), "--",
                log(service, colour).toString()), Map.of(), null, DEADLINE));
        return r.output().lines().toList();
    }

    private String pidFile(ServiceSpec service, String colour) {
        return new StatePaths(Path.of(dir)).servicePid(service.name(), colour).toString();
    }
}
