package dev.baton.deploy.runtime;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A starting colour's lower CPU priority ({@code start_priority: low}) for the process runtimes,
 * as commands (Kamal's pattern): started under {@code nice}, raised back with {@code renice} on
 * every thread before it takes traffic. Raising back needs root, CAP_SYS_NICE or a RLIMIT_NICE
 * that allows it; where the login has none, a colour starts at normal priority rather than stay
 * low for good.
 */
public final class CpuPriority {
    /** The niceness a starting colour gets: a tenth of the CPU weight of a nice-0 process. */
    public static final int LOW = 10;

    /** Exits 0 when this login may lower a niceness again (the shell runs at nice 1 and asks for 0). */
    static final String CAN_RAISE = "renice -n 0 -p $$ >/dev/null 2>&1";

    /** $1 session id (its leader's pid): every thread of every process in that session back to nice 0. */
    static final String RAISE = "tids=$(ps -eLo lwp=,sid= | awk -v s=\"$1\" '$2 == s {print $1}')\n"
            + "[ -z \"$tids\" ] || renice -n 0 -p $tids >/dev/null\n";

    private CpuPriority() {}

    static Command probe() {
        return new Command(List.of("nice", "-n", "1", "/bin/sh", "-c", CAN_RAISE), Map.of(), null, Duration.ofSeconds(30));
    }

    /** Whether {@code host}'s login can raise a niced process back. */
    static boolean canRaise(Host host) {
        return host.run(probe()).ok();
    }

    /**
     * Whether a service starts low on one host: only where that host's login can raise it back
     * (asked once, at the first low start), since a colour left low for good would be worse than none.
     */
    static final class StartGate {
        private final Host host;
        private Boolean canRaise;

        StartGate(Host host) {
            this.host = host;
        }

        synchronized boolean low(ServiceSpec service) {
            if (!service.startLow()) {
                return false;
            }
            if (canRaise == null) {
                canRaise = canRaise(host);
            }
            return canRaise;
        }
    }

    /** {@code argv} started at the low priority. */
    static List<String> low(List<String> argv) {
        List<String> out = new ArrayList<>(List.of("nice", "-n", Integer.toString(LOW)));
        out.addAll(argv);
        return out;
    }

    /**
     * {@code argv} at niceness {@code nice} when started from this thread, whatever its own (a
     * deploying CLI runs low itself: a colour started at normal priority must not inherit that).
     */
    static List<String> at(int nice, List<String> argv) {
        int adjust = nice - ownNiceness();
        if (adjust == 0) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of("nice", "-n", Integer.toString(adjust)));
        out.addAll(argv);
        return out;
    }

    /** This thread's niceness, which what it starts inherits (0 when it cannot be read). */
    public static int ownNiceness() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Raises the session led by {@code sid} (the colour's setsid leader) to nice 0. */
    static Command raise(long sid) {
        return new Command(List.of("/bin/sh", "-c", RAISE, "baton-raise", Long.toString(sid)), Map.of(), null, Duration.ofSeconds(30));
    }

    /** The same for a colour whose leader's pid is the first word of {@code pidFile}. */
    static Command raiseFromPidFile(String pidFile) {
        return new Command(List.of("/bin/sh", "-c", "pid=$(cut -d' ' -f1 \"$1\" 2>/dev/null) || exit 0\nshift\nset -- \"$pid\"\n" + RAISE,
                "baton-raise", pidFile), Map.of(), null, Duration.ofSeconds(30));
    }
}
