package dev.baton.deploy.runtime;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands of the process runtime on a server, as data (Kamal's pattern): Baton's own fixed
 * scripts, with everything from the configuration as separate arguments
 * ({@code sh -c SCRIPT NAME ARG...}), never pasted into them. {@link HostProcessRuntime} runs them.
 */
final class ProcessCommands {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    /**
     * $1 log, $2 pid file, $3 folder, $4 the service's program, $5 the line that marks this start in
     * the log ({@link StartMark}), the rest the argv that starts it; a
     * program that is not there is named before anything starts (started, it would only exit with a
     * shell's "not found" in its log, read by the deploy as a failed health check); a log over 64 MiB
     * is kept as the one .1 first.
     */
    static final String START = "umask 077; log=$1; pid=$2; dir=$3; prog=$4; mark=$5; shift 5\n"
            + "mkdir -p \"${log%/*}\" \"${pid%/*}\" && cd \"$dir\" || exit 1\n"
            + "case $prog in\n"
            + "  */*) if [ -d \"$prog\" ] || [ ! -x \"$prog\" ]; then\n"
            + "         echo \"$prog is not an executable file in $dir (chmod +x it, or name its interpreter first)\" >&2; exit 127; fi;;\n"
            + "  *) command -v -- \"$prog\" >/dev/null 2>&1 || {\n"
            + "       echo \"$prog is not a program on this server's PATH ($PATH); check its spelling, install it, or write its full path\" >&2\n"
            + "       exit 127; };;\n"
            + "esac\n"
            + "if [ -f \"$log\" ] && [ \"$(wc -c <\"$log\")\" -gt " + DetachedProcess.ROTATE_AT + " ]; then mv -f \"$log\" \"$log.1\"; fi\n"
            + "printf '%s\\n' \"$mark\" >>\"$log\"\n"
            + "setsid \"$@\" >>\"$log\" 2>&1 </dev/null &\n"
            + "echo $! >\"$pid\"\n";

    /**
     * {@code colour_pid FILE PORT COLOUR} prints the colour's process (its session, which {@code
     * setsid} made its group): the one its pid file names while that runs, else, when the file is
     * gone or spoilt (edited by hand), what listens on its port with that PORT and BATON_COLOR in its
     * environment, as Baton started it (so that a stop does not leave it holding its port).
     */
    static final String FIND = "alive() { s=$(ps -o stat= -p \"$1\" 2>/dev/null) || return 1; case $s in Z*) return 1;; esac; }\n"
            + "colour_pid() {\n"
            + "  p=$(cat \"$1\" 2>/dev/null)\n"
            + "  case $p in ''|*[!0-9]*) ;; *) if alive \"$p\"; then echo \"$p\"; return 0; fi;; esac\n"
            + "  for l in $(ss -H -ltnp \"sport = :$2\" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do\n"
            + "    e=$(tr '\\0' '\\n' <\"/proc/$l/environ\" 2>/dev/null) || continue\n"
            + "    printf '%s\\n' \"$e\" | grep -qxF \"PORT=$2\" && printf '%s\\n' \"$e\" | grep -qxF \"BATON_COLOR=$3\" || continue\n"
            + "    ps -o sid= -p \"$l\" | tr -d ' '; return 0\n"
            + "  done\n"
            + "  return 1\n"
            + "}\n";

    /** $1 pid file, $2 port, $3 colour: exit 0 if the colour's process runs (a zombie does not). */
    static final String RUNNING = FIND + "colour_pid \"$1\" \"$2\" \"$3\" >/dev/null\n";

    /** $1 pid file, $2 grace in tenths of a second, $3 port, $4 colour: TERM to its process group, KILL after the grace. */
    static final String STOP = FIND + "pid=$(colour_pid \"$1\" \"$3\" \"$4\") || { rm -f \"$1\"; exit 0; }\n"
            + "kill -TERM -- \"-$pid\" 2>/dev/null || kill -TERM \"$pid\" 2>/dev/null\n"
            + "i=0; while alive \"$pid\"; do\n"
            + "  if [ \"$i\" -ge \"$2\" ]; then kill -KILL -- \"-$pid\" 2>/dev/null || kill -KILL \"$pid\" 2>/dev/null; fi\n"
            + "  sleep 0.1; i=$((i+1))\n"
            + "done\nrm -f \"$1\"\n";

    private final StatePaths paths;
    private final String bind;

    /**
     * @param dir the folder on the server for logs and pid files
     * @param bind the address the services should listen on (given to them as BATON_HOST)
     */
    ProcessCommands(String dir, String bind) {
        this.paths = new StatePaths(Path.of(dir));
        this.bind = bind;
    }

    /** Starts the colour in a session of its own with PORT, BATON_COLOR and BATON_HOST; returns at once. */
    Command start(ServiceSpec service, String colour, CpuPriority.Start start) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", START, "baton-start", log(service, colour),
                pidFile(service, colour), service.workDir().toString(), service.argv().isEmpty() ? "" : service.argv().get(0),
                StartMark.line(service, colour)));
        argv.addAll(CpuPriority.inLowGroup(start, start.threadsLow() ? CpuPriority.niced(service.argv()) : service.argv()));
        Map<String, String> env = new HashMap<>(service.env());
        env.put("PORT", Integer.toString(service.port(colour)));
        env.put("BATON_COLOR", colour);
        env.put("BATON_HOST", bind); // where health checks and the router reach it
        return new Command(argv, env, null, DEADLINE);
    }

    /** The colour's session's group and every thread in it back to nice 0. */
    Command raise(ServiceSpec service, String colour) {
        return CpuPriority.raiseFromPidFile(pidFile(service, colour));
    }

    /** Exits 0 while the colour's process runs. */
    Command running(ServiceSpec service, String colour) {
        return new Command(List.of("/bin/sh", "-c", RUNNING, "baton-running", pidFile(service, colour),
                portOf(service, colour), String.valueOf(colour)), Map.of(), null, DEADLINE);
    }

    /** TERM to its process group, KILL after the service's stop_grace. */
    Command stop(ServiceSpec service, String colour) {
        long tenths = Math.max(1, service.stopGrace().toMillis() / 100);
        return new Command(List.of("/bin/sh", "-c", STOP, "baton-stop", pidFile(service, colour), Long.toString(tenths),
                portOf(service, colour), String.valueOf(colour)), Map.of(), null, service.stopGrace().plus(DEADLINE));
    }

    /** The colour's port, or 0 (which nothing listens on) for a name that is not one of its colours. */
    private static String portOf(ServiceSpec service, String colour) {
        return Integer.toString(colour == null ? 0 : service.ports().getOrDefault(colour, 0));
    }

    Command logTail(ServiceSpec service, String colour, int lines) {
        return new Command(List.of("tail", "-n", Integer.toString(lines), "--", log(service, colour)), Map.of(), null, DEADLINE);
    }

    String log(ServiceSpec service, String colour) {
        return paths.serviceLog(service.name(), colour).toString();
    }

    private String pidFile(ServiceSpec service, String colour) {
        return paths.servicePid(service.name(), colour).toString();
    }
}
