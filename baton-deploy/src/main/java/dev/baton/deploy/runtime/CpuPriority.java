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
 * as commands (Kamal's pattern), in two parts, both undone before the colour takes traffic:
 * <ul>
 * <li>its session's scheduling group at nice 10. Each colour runs in a session of its own, and
 *     where Linux groups the CPU by session (autogroup, on unless the process sits in a cgroup of
 *     its own) a niceness only counts among the threads of one session: without this a niced
 *     colour takes as much CPU from the serving one as an un-niced one. Any login may lower its
 *     own group and raise it back to 0 ({@code /proc/<pid>/autogroup});</li>
 * <li>every thread at nice 10 ({@code nice}, raised with {@code renice}), which counts against
 *     the other processes of the same group or cgroup. Raising a thread back needs root,
 *     CAP_SYS_NICE or a RLIMIT_NICE that allows it; where the login has none, the threads start
 *     at normal priority rather than stay low for good.</li>
 * </ul>
 */
public final class CpuPriority {
    /** The niceness a starting colour gets: a tenth of the CPU weight of a nice-0 process. */
    public static final int LOW = 10;

    /** Exits 0 when this login may lower a niceness again (the shell runs at nice 1 and asks for 0). */
    static final String CAN_RAISE = "renice -n 0 -p $$ >/dev/null 2>&1";

    /**
     * Run first in a starting colour's new session, its argv after it: the session's group to nice 10,
     * then the argv. Where there is no group to lower (no such file, /proc read-only, or an empty
     * one: a process in the root group, as one started by init without a session of its own is),
     * nothing to do; an unprivileged write is refused for 0.1 s after anyone's last one (the
     * kernel's rate limit), so it is tried again for up to 2 s.
     */
    static final String LOWER_GROUP = "g=/proc/self/autogroup; i=0\n"
            + "if [ -w $g ] && grep -q ' nice ' $g 2>/dev/null; then\n"
            + "  while ! echo " + LOW + " 2>/dev/null >$g && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done\n"
            + "fi\nexec \"$@\"\n";

    /**
     * $1 session id (its leader's pid): the session's group back to nice 0, as {@link #LOWER_GROUP}
     * lowered it; nothing where there is no such group (the root group's cannot be set at all).
     */
    static final String RAISE_GROUP = "g=/proc/$1/autogroup; i=0\n"
            + "if [ -w $g ] && grep -q ' nice ' $g 2>/dev/null; then\n"
            + "  while ! echo 0 2>/dev/null >$g && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done\n"
            + "  grep -q ' nice 0$' $g || { echo \"cannot raise $g: $(cat $g)\" >&2; exit 1; }\n"
            + "fi\n";

    /** $1 session id (its leader's pid): the session's group and every thread of every process in it back to nice 0. */
    static final String RAISE = RAISE_GROUP + "tids=$(ps -eLo lwp=,sid= | awk -v s=\"$1\" '$2 == s {print $1}')\n"
            + "[ -z \"$tids\" ] || renice -n 0 -p $tids >/dev/null\n";

    private CpuPriority() {}

    static Command probe() {
        return new Command(List.of("nice", "-n", "1", "/bin/sh", "-c", CAN_RAISE), Map.of(), null, Duration.ofSeconds(30));
    }

    /** Whether {@code host}'s login can raise a niced process back. */
    static boolean canRaise(Host host) {
        return host.run(probe()).ok();
    }

    /** How a colour starts: at normal priority, its session's group low, or that and every thread low. */
    enum Start {
        NORMAL, GROUP_LOW, ALL_LOW;

        boolean groupLow() {
            return this != NORMAL;
        }

        boolean threadsLow() {
            return this == ALL_LOW;
        }
    }

    /**
     * How a service starts on one host: its session's group low whenever it asks for a low start;
     * its threads too only where that host's login can raise them back (asked once, at the first
     * low start), since a colour left low for good would be worse than none.
     */
    static final class StartGate {
        private final Host host;
        private Boolean canRaise;

        StartGate(Host host) {
            this.host = host;
        }

        synchronized Start start(ServiceSpec service) {
            if (!service.startLow()) {
                return Start.NORMAL;
            }
            if (canRaise == null) {
                canRaise = canRaise(host);
            }
            return canRaise ? Start.ALL_LOW : Start.GROUP_LOW;
        }
    }

    /**
     * {@code argv} with its session's group lowered first when {@code start} says so; to be run as
     * the first process of a new session (the group is the session's):
     * {@code sh -c LOWER_GROUP baton-low ARGV...}.
     */
    static List<String> inLowGroup(Start start, List<String> argv) {
        if (!start.groupLow()) {
            return argv;
        }
        List<String> out = new ArrayList<>(List.of("/bin/sh", "-c", LOWER_GROUP, "baton-low"));
        out.addAll(argv);
        return out;
    }

    /** {@code argv} with every thread at the low niceness, started from a login at nice 0. */
    static List<String> niced(List<String> argv) {
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

    /** Raises the group of the session led by {@code sid} (the colour's setsid leader) to nice 0. */
    static Command raiseGroup(long sid) {
        return new Command(List.of("/bin/sh", "-c", RAISE_GROUP, "baton-raise", Long.toString(sid)), Map.of(), null, Duration.ofSeconds(30));
    }

    /** The same for a colour whose leader's pid is the first word of {@code pidFile}. */
    static Command raiseFromPidFile(String pidFile) {
        return new Command(List.of("/bin/sh", "-c", "pid=$(cut -d' ' -f1 \"$1\" 2>/dev/null) || exit 0\nshift\nset -- \"$pid\"\n" + RAISE,
                "baton-raise", pidFile), Map.of(), null, Duration.ofSeconds(30));
    }
}
