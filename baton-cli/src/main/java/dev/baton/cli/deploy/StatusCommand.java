package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.DeployLock;
import dev.baton.deploy.DeployState;
import dev.baton.deploy.Server;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.MigrationListener;
import dev.baton.proxy.RouterClient;
import dev.baton.proxy.RouterStatus;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton status}: what serves now, what runs, the schema, and who holds the deploy lock. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show what serves, what runs, the schema revision and the deploy lock.", "",
                "The active colour (from the state file and from the router), which colours of each",
                "service run, the schema's applied revision, the last release, and the deploy lock's holder."})
public final class StatusCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "print the status as JSON on stdout")
    boolean json;

    public StatusCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DeployConfig cfg = config.read(cli);
        DeployState state = DeployState.load(cfg.stateDir());
        List<Server> servers = Deployments.servers(cfg); // one SSH connection per host for everything below
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", cfg.app());
        m.put("active", state.active());
        m.put("previous", state.previous());
        m.put("release", state.release());
        m.put("commit", state.commit());
        m.put("deployed_at", state.deployedAt());
        RouterClient router = new RouterClient(URI.create("http://" + cfg.router().admin().getHostString() + ":"
                + cfg.router().admin().getPort()), cfg.router().token());
        Map<String, Object> r = new LinkedHashMap<>();
        if (cfg.nginx() != null) {
            r.put("type", "nginx");
            try {
                var nginx = servers.get(0).router();
                nginx.ensureRunning();
                r.put("running", true);
                r.put("active", nginx.active());
                r.put("in_flight", Map.of());
            } catch (BatonException e) {
                r.put("running", false);
            }
        } else {
            try {
                RouterStatus rs = router.status();
                r.put("running", true);
                r.put("active", rs.active());
                r.put("in_flight", rs.inFlight());
                r.put("served", rs.served());
            } catch (BatonException e) {
                r.put("running", false);
                if (e.exitCode() == dev.baton.ExitCode.STATE) {
                    r.put("error", e.getMessage()); // something answers there, but not this config's router
                }
            }
        }
        r.put("url", cfg.router().listenUri().toString());
        m.put("router", r);
        var runtime = servers.get(0).runtime();
        Map<String, Object> services = new LinkedHashMap<>();
        for (ServiceSpec s : cfg.services().values()) {
            Map<String, Object> colours = new LinkedHashMap<>();
            for (String c : cfg.colours()) {
                Object what = "stopped";
                if (runtime instanceof ProcessRuntime local) {
                    what = local.handle(s, c).map(h -> (Object) Map.of("pid", h.pid(), "port", s.port(c))).orElse("stopped");
                } else if (runtime.running(s, c)) {
                    what = Map.of("port", s.port(c), "host", cfg.hosts().get(0).name());
                }
                colours.put(c, what);
            }
            services.put(s.name(), colours);
        }
        m.put("services", services);
        if (cfg.hosts().size() > 1) {
            m.put("hosts", hosts(cfg, servers));
        }
        m.put("revision", revision(cfg));
        try (DeployLock lock = DeployLock.forConfig(cfg)) {
            m.put("lock_holder", lock.holder().orElse(null));
        } catch (BatonException e) {
            m.put("lock_holder", "unknown: " + e.getMessage());
        }
        if (json) {
            cli.out().println(Json.write(m));
        } else {
            print(m, state);
        }
        cli.out().flush();
        return 0;
    }

    /** Per host: what its router serves and which colours run there. */
    private static Map<String, Object> hosts(DeployConfig cfg, List<Server> servers) {
        Map<String, Object> out = new java.util.concurrent.ConcurrentHashMap<>();
        Server.onEach(servers, server -> {
            Map<String, Object> h = new LinkedHashMap<>();
            try {
                h.put("router", server.router().active());
                Map<String, Object> running = new LinkedHashMap<>();
                for (ServiceSpec s : cfg.services().values()) {
                    java.util.List<String> colours = cfg.colours().stream().filter(c -> server.runtime().running(s, c)).toList();
                    running.put(s.name(), colours);
                }
                h.put("running", running);
            } catch (BatonException e) {
                h.put("error", e.getMessage());
            }
            out.put(server.name(), h);
        });
        Map<String, Object> ordered = new LinkedHashMap<>();
        servers.forEach(s -> ordered.put(s.name(), out.get(s.name())));
        return ordered;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> m, DeployState state) {
        var out = cli.out();
        Map<String, Object> r = (Map<String, Object>) m.get("router");
        out.println("app:       " + m.get("app"));
        out.println("active:    " + (state.active() == null ? "(never deployed)" : state.active())
                + (state.previous() == null ? "" : "  (previous: " + state.previous() + ")"));
        out.println("router:    " + (Boolean.TRUE.equals(r.get("running")) ? "serving " + r.get("active") + " at " + r.get("url")
                + ", in flight " + r.get("in_flight") : r.get("error") != null ? r.get("error")
                : "not running (baton deploy starts it; or run baton proxy)"));
        out.println("release:   " + (state.release() == null ? "-" : state.release() + " at " + state.deployedAt()));
        out.println("revision:  " + (m.get("revision") == null ? "-" : m.get("revision")));
        for (Map.Entry<String, Object> s : ((Map<String, Object>) m.get("services")).entrySet()) {
            StringBuilder line = new StringBuilder(String.format("service:   %-10s", s.getKey()));
            for (Map.Entry<String, Object> c : ((Map<String, Object>) s.getValue()).entrySet()) {
                line.append(' ').append(c.getKey()).append('=').append(c.getValue() instanceof Map<?, ?> p
                        ? "running(pid " + p.get("pid") + ", port " + p.get("port") + ")" : c.getValue());
            }
            out.println(line);
        }
        if (m.get("hosts") instanceof Map<?, ?> hosts) {
            hosts.forEach((name, h) -> out.println(String.format("host:      %-10s %s", name, h)));
        }
        out.println("lock:      " + (m.get("lock_holder") == null ? "free" : "held by " + m.get("lock_holder")));
    }

    private static String revision(DeployConfig cfg) {
        if (!cfg.migrations().builtin() || cfg.migrations().url() == null) {
            return null;
        }
        try {
            var settings = cfg.migrations().settings(true, cfg.dir().resolve("migrations"), cfg.logDir());
            List<AppliedRevision> cur = new MigrationEngine(settings, MigrationListener.NONE).current();
            return cur.isEmpty() ? "(empty)" : String.join(",", cur.stream().map(AppliedRevision::revision).toList());
        } catch (BatonException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
