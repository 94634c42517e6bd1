package dev.baton.deploy.router;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.deploy.config.NginxSettings;
import dev.baton.deploy.config.NginxTemplate;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.RouterView;
import dev.baton.deploy.port.TrafficRouter;
import dev.baton.deploy.probe.PortProbe;
import dev.baton.proxy.Route;
import dev.baton.proxy.RouterSettings;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * nginx as the router, driven through a {@link Host}: for a colour, the site is rendered into
 * {@code <available>/<name>.<colour>}, the live site link is pointed at it by an atomic rename,
 * {@code nginx -t} checks the result (on failure the previous link is put back and nothing
 * reloads), then nginx reloads, and the switch returns once none of the workers from before the
 * reload accepts connections. Requests in flight finish in the old workers, which nginx lets
 * exit once they are done: the old colour has drained when none of the workers nginx ran before
 * the reload is left (the children of the master in {@code pid_file}).
 */
public final class NginxRouter implements TrafficRouter {
    /** How long nginx may take to put a reload into effect (it parses the configuration, starts workers). */
    static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);
    private final String app;
    private final RouterSettings router;
    private final NginxSettings nginx;
    private final NginxCommands commands;
    private final Host host;
    /** The workers of the configuration before the last switch: while any lives, the old colour drains. */
    private Set<String> oldWorkers = Set.of();
    /** The colour this router last switched to, so draining need not ask nginx each time. */
    private volatile String current;

    private final String upstreamHost;

    /** @param upstreamHost the address the services listen on, that nginx proxies to */
    public NginxRouter(String app, RouterSettings router, NginxSettings nginx, Host host, String upstreamHost) {
        this.upstreamHost = upstreamHost;
        this.app = app;
        this.router = router;
        this.nginx = nginx;
        this.commands = new NginxCommands(nginx);
        this.host = host;
    }

    @Override
    public void ensureRunning() {
        CommandResult r = host.run(commands.running());
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": nginx is not running; start it (systemctl start"
                    + " nginx) before deploying");
        }
    }

    @Override
    public RouterView view() {
        try {
            if (!host.run(commands.running()).ok()) {
                return RouterView.notRunning("nginx", null);
            }
            return new RouterView("nginx", true, active(), Map.of(), -1, null);
        } catch (BatonException e) { // the server did not answer (SSH): whether nginx runs there is not known
            return RouterView.notRunning("nginx", e.getMessage());
        }
    }

    @Override
    public String active() {
        CommandResult r = host.run(commands.linkedFile());
        if (!r.ok()) {
            return null;
        }
        String target = r.output().strip();
        String prefix = colourFile("");
        if (!target.startsWith(prefix)) {
            return null;
        }
        // the link says which site, but a reload that could not bind router.listen left nginx serving none of it
        boolean serving = PortProbe.heldBy(host, router.listen().getPort(), "nginx").orElse(true);
        return serving ? target.substring(prefix.length()) : null;
    }

    /** No site link of this app: nginx never took one of its sites (a server just added). */
    @Override
    public boolean neverServed() {
        CommandResult r = host.run(commands.linkedFile());
        return !r.ok() || r.output().isBlank();
    }

    /** The site link removed and nginx reloaded: the server serves none of this app again. */
    @Override
    public void stopServing() {
        host.run(commands.point(""));
        oldWorkers = workers();
        check(host.run(commands.reload()), String.join(" ", nginx.reload()));
        current = null;
    }

    @Override
    public void switchTo(String colour) {
        String file = colourFile(colour);
        Path rendered = null;
        try {
            rendered = Files.createTempFile("baton-nginx-", ".conf");
            Files.writeString(rendered, render(colour), StandardCharsets.UTF_8);
            host.upload(rendered, file);
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot write the nginx site for " + colour + ": " + IoReason.of(e), e);
        } finally {
            if (rendered != null) {
                rendered.toFile().delete();
            }
        }
        CommandResult pointed = host.run(commands.point(file));
        if (pointed.exitCode() == 3) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": " + nginx.site() + " is a regular file; Baton"
                    + " manages it as a link to a colour's file. Move it to " + nginx.available() + " and deploy again");
        }
        check(pointed, "point " + nginx.site() + " at " + file);
        String previous = pointed.output().strip();
        CommandResult test = host.run(commands.test());
        if (!test.ok()) {
            host.run(commands.point(previous)); // back as it was (an empty previous removes the link)
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + String.join(" ", nginx.test())
                    + "` rejected the site for " + colour + "; the previous site is back and nginx was not reloaded:\n"
                    + test.tail(10));
        }
        String held = listenHeldByOther();
        if (!held.isEmpty()) { // its new workers could not bind it: said now, not after a reload that changes nothing
            host.run(commands.point(previous));
            throw new BatonException(ExitCode.FAILED, host.name() + ": nginx cannot take the site for " + colour + held
                    + "; the previous site is back and nginx was not reloaded");
        }
        oldWorkers = workers();
        check(host.run(commands.reload()), String.join(" ", nginx.reload()));
        current = colour;
        awaitReload(colour);
    }

    /**
     * Until none of the workers from before the reload accepts connections. A reload only signals
     * nginx's master, which then starts new workers and tells the old ones to stop accepting: until
     * it has, a new connection still reaches the old colour (seen as the old version answering right
     * after a rollback had returned). Not cut short by Ctrl-C: the switch is one step or none.
     */
    private void awaitReload(String colour) {
        Set<String> before = oldWorkers;
        if (before.isEmpty()) {
            return; // nginx was not running: the reload started it
        }
        try {
            Wait.of("nginx on " + host.name() + " to take the site for " + colour, RELOAD_TIMEOUT, Duration.ofMillis(5))
                    .uninterruptibly().until(() -> {
                        CommandResult r = host.run(commands.acceptingWorkers());
                        long left = r.output().lines().map(String::strip).filter(before::contains).count();
                        return left == 0 ? Probe.ok() : Probe.notYet(left + " of its workers from before the reload still accept connections");
                    });
        } catch (Wait.TimedOut e) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": nginx was reloaded but " + e.lastReason() + " after "
                    + Wait.seconds(RELOAD_TIMEOUT) + ": the site for " + colour + " is not in effect (nginx's error log says why)", e);
        }
    }

    /**
     * The likeliest why, said here: router.listen held by a process that is not nginx (so the new
     * workers cannot bind it), such as this app's built-in router after router.type changed.
     */
    private String listenHeldByOther() {
        int port = router.listen().getPort();
        Map<Long, String> holders = new HashMap<>(PortProbe.listeners(host, port));
        holders.values().removeIf(name -> name.startsWith("nginx"));
        if (holders.isEmpty()) {
            return "";
        }
        Map.Entry<Long, String> holder = holders.entrySet().iterator().next();
        String said = ": router.listen " + router.listen().getHostString() + ":" + port + " is held by " + holder.getValue()
                + " (pid " + holder.getKey() + "), not nginx";
        StatePaths paths = new StatePaths(router.stateFile().getParent());
        Path supervisor = paths.routerSupervisorPid();
        // the built-in router this app's state folder names (it runs on this machine, as the built-in router always does)
        boolean builtinHere = readPid(paths.routerPid()).filter(holders::containsKey).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive).isPresent();
        return said + (builtinHere ? ": Baton's built-in router of this app, from before router.type: nginx. Stop it (kill $(cut -d' ' -f1 "
                + supervisor + ")), then baton recover: nginx takes the address (connections are refused in between)" : "");
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip().split(" ")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * For a colour nginx no longer routes to: how many of the workers that ran before the switch
     * are still alive. nginx lets an old worker exit only when its requests are done, so none
     * left means the old colour has drained. (Counted per worker, not per request: nginx does not
     * say more.) The active colour is never drained, so it counts 0.
     */
    @Override
    public int inFlight(String colour) {
        if (colour.equals(current != null ? current : active())) {
            return 0;
        }
        Set<String> alive = new HashSet<>(workers());
        alive.retainAll(oldWorkers);
        return alive.size();
    }

    /** The worker processes of this nginx: the children of the master its pid file names. */
    private Set<String> workers() {
        CommandResult r = host.run(commands.workers());
        return r.ok() ? Set.copyOf(r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                : Set.of();
    }

    @Override
    public String describeSwitch(String colour) {
        return host.name() + ": nginx serves " + colourFile(colour) + " (written from " + (nginx.template() == null
                ? "Baton's site template" : nginx.template()) + "), linked as " + nginx.site() + " by an atomic rename,"
                + " checked by `" + String.join(" ", nginx.test()) + "` (the link restored if it fails), then reloaded";
    }

    @Override
    public List<Command> switchCommands(String colour) {
        return List.of(commands.point(colourFile(colour)), commands.test(), commands.reload());
    }

    @Override
    public URI publicUri() {
        return router.listenUri();
    }

    String colourFile(String colour) {
        String name = nginx.site().substring(nginx.site().lastIndexOf('/') + 1);
        return nginx.available() + "/" + name + "." + colour;
    }

    /** The site for a colour: the user's template, or Baton's default. */
    String render(String colour) throws IOException {
        String template;
        if (nginx.template() != null) {
            template = Files.readString(nginx.template(), StandardCharsets.UTF_8);
        } else {
            try (InputStream in = NginxRouter.class.getResourceAsStream("nginx-site.template")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        String appId = app.replaceAll("[^A-Za-z0-9_]", "_");
        String connection = "baton_" + appId + "_connection";
        Map<String, String> values = new HashMap<>();
        StringBuilder upstreams = new StringBuilder();
        // the locations below need this map at http level; a template that has its own keeps it
        Pattern ownMap = Pattern.compile("(?m)^\\s*map\\s+\\S+\\s+\\$baton_(\\{\\{\\s*app_id\\s*}}|" + Pattern.quote(appId) + ")_connection\\b");
        if (!ownMap.matcher(template).find()) {
            upstreams.append("map $http_upgrade $").append(connection).append(" {\n    default upgrade;\n    ''      '';\n}\n");
        }
        StringBuilder locations = new StringBuilder();
        List<Route> routes = router.routes();
        for (int i = 0; i < routes.size(); i++) {
            URI up = routes.get(i).upstreams().get(colour);
            String name = "baton_" + appId + "_" + colour + "_" + i;
            // the services listen on the host's address (BATON_HOST); 127.0.0.1 on this machine
            values.put("upstream." + i, upstreamHost + ":" + up.getPort());
            upstreams.append("upstream ").append(name).append(" {\n    server ").append(upstreamHost).append(':')
                    .append(up.getPort()).append(";\n    keepalive 32;\n}\n");
            locations.append("    location ").append(routes.get(i).pathPrefix()).append(" {\n")
                    .append("        proxy_pass http://").append(name).append(";\n")
                    .append("        proxy_http_version 1.1;\n")
                    .append("        proxy_set_header Upgrade $http_upgrade;\n")
                    .append("        proxy_set_header Connection $").append(connection).append(";\n")
                    .append("        proxy_set_header Host $host;\n")
                    .append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
                    .append("        proxy_set_header X-Forwarded-Proto $scheme;\n")
                    .append("        proxy_set_header X-Forwarded-Host $host;\n")
                    .append("        proxy_buffering off;\n")
                    .append("    }\n");
        }
        values.put("app", app);
        values.put("app_id", appId);
        values.put("colour", colour);
        values.put("listen", router.listen().getHostString() + ":" + router.listen().getPort());
        values.put("upstreams", upstreams.toString().stripTrailing());
        values.put("locations", locations.toString());
        return NginxTemplate.render(template, values);
    }

    private void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + what + "` failed (exit " + r.exitCode() + "):\n"
                    + r.tail(10));
        }
    }

}
