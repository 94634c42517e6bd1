package dev.baton.deploy.router;

import dev.baton.deploy.config.NginxSettings;
import dev.baton.deploy.port.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link NginxRouter} runs on a host, as data (Kamal's pattern): argv lists, built from the
 * settings and never run here. The two scripts are fixed text; paths reach them as arguments.
 */
final class NginxCommands {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    /** $1 the live site, $2 the file it should point at: refuses a regular file, prints the previous target. */
    static final String POINT = "site=$1; target=$2\n"
            + "if [ -e \"$site\" ] && [ ! -L \"$site\" ]; then echo \"$site is a regular file\" >&2; exit 3; fi\n"
            + "prev=$(readlink -- \"$site\" 2>/dev/null || true)\n"
            + "if [ -n \"$target\" ]; then\n"
            + "  ln -sfn -- \"$target\" \"$site.baton-new\" && mv -fT -- \"$site.baton-new\" \"$site\" || exit 4\n"
            + "else rm -f -- \"$site\"; fi\n"
            + "printf '%s\\n' \"$prev\"\n";

    /** $1 nginx's pid file: prints the pids of its master's children (the workers). */
    static final String WORKERS = "pid=$(cat -- \"$1\" 2>/dev/null) || exit 0\npgrep -P \"$pid\" || true\n";

    /**
     * $1 nginx's pid file: prints the master's children that still accept connections. After a
     * reload nginx renames each old worker "worker process is shutting down" as it closes its
     * listening sockets (the name is read from /proc, as ps would show it).
     */
    static final String ACCEPTING_WORKERS = "pid=$(cat -- \"$1\" 2>/dev/null) || exit 0\n"
            + "for w in $(pgrep -P \"$pid\"); do\n"
            + "  tr '\\000' ' ' <\"/proc/$w/cmdline\" 2>/dev/null | grep -q 'shutting down' || echo \"$w\"\n"
            + "done\n";

    /**
     * Runs nginx with the arguments given: from PATH, or where Debian and the nginx.org packages
     * put it (/usr/sbin, which is not on a non-root user's PATH over SSH, then /usr/local).
     */
    static final String FIND_NGINX = "for n in nginx /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx; do\n"
            + "  if command -v \"$n\" >/dev/null 2>&1; then exec \"$n\" \"$@\"; fi\n"
            + "done\n"
            + "echo \"nginx was not found on this host: not on PATH ($PATH) nor in /usr/sbin, /usr/local/sbin or"
            + " /usr/local/nginx/sbin; name it in router.nginx.test and reload, e.g. test: [/opt/nginx/sbin/nginx, -t]\" >&2\n"
            + "exit 127\n";

    private final NginxSettings nginx;

    NginxCommands(NginxSettings nginx) {
        this.nginx = nginx;
    }

    /** Exits 0 when an nginx runs. */
    Command running() {
        return of(List.of("pgrep", "-x", "nginx"));
    }

    /** Prints the file the live site links to. */
    Command linkedFile() {
        return of(List.of("readlink", "--", nginx.site()));
    }

    /** Points the live site at {@code file} by an atomic rename; an empty {@code file} removes the link. */
    Command point(String file) {
        return script(POINT, nginx.site(), file);
    }

    Command test() {
        return located(nginx.test());
    }

    Command reload() {
        return located(nginx.reload());
    }

    /** A command that names nginx bare runs the nginx {@link #FIND_NGINX} finds. */
    private static Command located(List<String> argv) {
        if (!argv.get(0).equals("nginx")) {
            return of(argv);
        }
        return script(FIND_NGINX, argv.subList(1, argv.size()).toArray(String[]::new));
    }

    Command workers() {
        return script(WORKERS, nginx.pidFile());
    }

    Command acceptingWorkers() {
        return script(ACCEPTING_WORKERS, nginx.pidFile());
    }

    private static Command script(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "baton"));
        argv.addAll(List.of(args));
        return of(argv);
    }

    private static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null, DEADLINE);
    }
}
