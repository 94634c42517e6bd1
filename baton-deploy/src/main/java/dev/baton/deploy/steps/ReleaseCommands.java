package dev.baton.deploy.steps;

import dev.baton.deploy.port.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The commands that put a release's files on a server, as data: Baton's own fixed scripts, the
 * folder, version and count as separate arguments, never pasted into them.
 */
final class ReleaseCommands {
    private ReleaseCommands() {}

    /** The marker written last: a folder without it is an upload that did not finish. */
    static final String MARKER = ".baton-release";

    /** $1 releases folder, $2 version: a gzip tar on stdin, unpacked aside and renamed into place. */
    static final String RECEIVE = "set -e\nmkdir -p -- \"$1\"\ncd -- \"$1\"\ntmp=\".incoming-$2-$$\"\n"
            + "rm -rf -- \"$tmp\"\nmkdir -- \"$tmp\"\ngzip -dc | tar -xf - -C \"$tmp\"\n"
            + "date -u +%Y-%m-%dT%H:%M:%SZ > \"$tmp/" + MARKER + "\"\nrm -rf -- \"$2\"\nmv -- \"$tmp\" \"$2\"\n";

    /** $1 releases folder, $2 how many to keep, the rest versions never removed: the oldest others go. */
    static final String PRUNE = "dir=$1; keep=$2; shift 2\ncd -- \"$dir\" 2>/dev/null || exit 0\nn=0\n"
            + "for r in $(ls -1t); do\n  n=$((n+1)); [ \"$n\" -le \"$keep\" ] && continue\n"
            + "  for p in \"$@\"; do [ \"$r\" = \"$p\" ] && continue 2; done\n  rm -rf -- \"$r\"\ndone\n"
            + "find . -maxdepth 1 -name '.incoming-*' -mmin +60 -exec rm -rf -- {} +\n";

    /** Exits 0 when the release is there whole. */
    static Command present(String folder) {
        return new Command(List.of("test", "-f", folder + "/" + MARKER), Map.of(), null, Duration.ofSeconds(30));
    }

    static Command receive(String root, String version) {
        return new Command(List.of("/bin/sh", "-c", RECEIVE, "baton-release", root, version), Map.of(), null, Duration.ofHours(1));
    }

    static Command prune(String root, int keep, Collection<String> inUse) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", PRUNE, "baton-prune", root, Integer.toString(keep)));
        argv.addAll(inUse);
        return new Command(argv, Map.of(), null, Duration.ofMinutes(5));
    }

    /** A release folder as a tar on stdout, run on this machine. */
    static Command tar(String folder) {
        return new Command(List.of("tar", "-C", folder, "-cf", "-", "."), Map.of(), null, Duration.ofHours(1));
    }
}
