package dev.baton.deploy;

import dev.baton.BatonException;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.MigrationsConfig;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.migrator.CommandMigrator;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.port.DeployLock;
import dev.baton.deploy.port.RouterView;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.router.BuiltinRouter;
import dev.baton.deploy.state.AuditLog;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployState;
import dev.baton.deploy.state.Journal;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.MigrationListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code baton status} shows: the state the last deploy left, what the router serves, which
 * colours run, the schema's revision and the deploy lock's holder. Reading it changes nothing
 * (the router is not started).
 *
 * @param services per service, per colour: what runs there
 * @param hosts per host when there are several: its router's colour and running colours, or why unknown
 * @param revision the applied heads, {@code (empty)}, {@code unknown: why}, or null without the built-in engine
 * @param lockHolder who holds the deploy lock, {@code unknown: why}, or null when free
 * @param journal the journal of a deploy that runs now, or of one that was killed (then {@code baton recover} settles it)
 * @param last the audit log's newest record (a deploy, rollback or recovery, failed or not), if any
 * @param disagreements where state.json and what serves disagree (a state file edited or restored
 *     from a backup, a router switched or stopped by hand, a serving colour that died), each with
 *     the command that settles it. Empty while a deploy runs: it moves things itself
 */
public record DeployStatus(String app, DeployState state, RouterView router, String url,
                           Map<String, Map<String, Running>> services, Map<String, HostStatus> hosts, String revision,
                           String lockHolder, Optional<Journal> journal, Optional<Map<String, Object>> last,
                           List<Disagreement> disagreements) {

    /** The newest record in a line: {@code deploy 20261130-180716 failed at WarmUp, 2026-11-30T18:07:16Z by ci@build-1}. */
    public Optional<String> lastLine() {
        return last.map(r -> r.get("kind") + " " + r.get("release") + " " + String.valueOf(r.get("outcome")).replace('_', ' ')
                + (r.get("failed_step") == null ? "" : " at " + r.get("failed_step")) + ", "
                + String.valueOf(r.get("started")).replaceFirst("\\.\\d+Z$", "Z") + " by " + r.get("by"));
    }

    /**
     * What is not as state.json says, and what to do.
     *
     * @param command whether {@code fix} is a command to type (else an edit of baton.yml, in words)
     */
    public record Disagreement(String what, String fix, boolean command) {
        public Disagreement(String what, String fix) {
            this(what, fix, true);
        }
    }

    private static final String RECOVER = "baton recover";

    /** A deploy's journal whose process is gone: it was killed, and nothing has settled it yet. */
    public Optional<Journal> interrupted() {
        return journal.filter(j -> !j.writerAlive());
    }

    /**
     * What could not be read (the database is down, a host does not answer), one line each;
     * empty when everything shown is known. {@code baton status} then exits 1.
     */
    public List<String> unreadable() {
        List<String> out = new ArrayList<>();
        if (revision != null && revision.startsWith(UNKNOWN)) {
            out.add("revision: " + revision.substring(UNKNOWN.length()));
        }
        if (lockHolder != null && lockHolder.startsWith(UNKNOWN)) {
            out.add("lock: " + lockHolder.substring(UNKNOWN.length()));
        }
        hosts.forEach((name, h) -> {
            if (h.error() != null) {
                out.add("host " + name + ": " + h.error());
            }
        });
        return out;
    }

    /**
     * A colour of a service: stopped, or running (with its pid where known, and port and host), or
     * unknown ({@code error}: its runtime did not answer).
     */
    public record Running(boolean running, Long pid, int port, String host, String error) {
        static final Running STOPPED = new Running(false, null, 0, null, null);

        public Running(boolean running, Long pid, int port, String host) {
            this(running, pid, port, host, null);
        }
    }

    /**
     * @param router the colour its router serves, or null
     * @param error why it could not be read, or null
     * @param added its router never served the app: a server just added to hosts, which the next deploy gives the new colour
     */
    public record HostStatus(String router, Map<String, List<String>> running, String error, boolean added) {
        public HostStatus(String router, Map<String, List<String>> running, String error) {
            this(router, running, error, false);
        }
    }

    /** How a value that could not be read starts. */
    static final String UNKNOWN = "unknown: ";

    public static DeployStatus read(DeployConfig cfg, List<Server> servers, DeployLock lock) {
        DeployState state = DeployState.load(cfg.stateDir());
        RouterView router = servers.get(0).router().view();
        Map<String, Map<String, Running>> services = new LinkedHashMap<>();
        for (ServiceSpec s : cfg.services().values()) {
            Map<String, Running> colours = new LinkedHashMap<>();
            for (String c : cfg.colours()) {
                // asked of what started it, which baton.yml's runtime: may no longer be
                ServiceRuntime runtime = servers.get(0).runtimeFor(state.colour(c).map(ColourRun::runtime).orElse(List.of()));
                // where it was started, which baton.yml edited since may no longer say
                int port = state.colour(c).map(r -> r.services().get(s.name())).map(ColourRun.ServiceRun::port).orElse(s.port(c));
                Running r;
                try {
                    r = runtime.pid(s, c).map(pid -> new Running(true, pid, port, null))
                            .orElseGet(() -> runtime.running(s, c) ? new Running(true, null, port, cfg.hosts().get(0).name())
                                    : Running.STOPPED);
                } catch (BatonException e) {
                    r = new Running(false, null, port, null, e.getMessage());
                }
                colours.put(c, r);
            }
            services.put(s.name(), colours);
        }
        String holder;
        try (lock) {
            holder = lock.holder().orElse(null);
        } catch (BatonException e) {
            holder = UNKNOWN + e.getMessage();
        }
        Map<String, HostStatus> hosts = servers.size() > 1 ? hosts(cfg, servers) : Map.of();
        Optional<Journal> journal = Journal.load(cfg.stateDir());
        // where the router listens, which is baton.yml's address unless it was edited since the router started
        String url = router.running() && !BuiltinRouter.listensOn(router.listen(), cfg.router().listen())
                ? "http://" + router.listen() : cfg.router().listenUri().toString();
        return new DeployStatus(cfg.app(), state, router, url, services, hosts, revision(cfg),
                holder, journal, new AuditLog(cfg.stateDir()).last(), disagreements(cfg, state, router, services, hosts, journal));
    }

    private static List<Disagreement> disagreements(DeployConfig cfg, DeployState state, RouterView router,
                                              Map<String, Map<String, Running>> services, Map<String, HostStatus> hosts,
                                              Optional<Journal> journal) {
        List<Disagreement> out = new ArrayList<>();
        String active = state.active();
        if (active == null || journal.filter(Journal::writerAlive).isPresent()) {
            return out;
        }
        String file = cfg.paths().state().getFileName().toString();
        // a serving colour that died (a reboot, the OOM killer): recovery starts it again as it ran
        String restart = RECOVER + " (starts it again as it last ran)";
        if (!cfg.colours().contains(active)) {
            boolean renamed = router.running() && active.equals(router.active()); // in baton.yml, not in state.json
            out.add(new Disagreement(file + " says " + active + " serves, which is not a colour of this app ("
                    + String.join(", ", cfg.colours()) + ")", renamed ? "write " + active + " back in services.*.ports: a colour"
                    + " is renamed while it does not serve (docs/deploy.md, \"Changing a port\")" : RECOVER, !renamed));
            return out;
        }
        for (String c : cfg.colours()) {
            boolean runs = services.values().stream().anyMatch(m -> m.get(c) != null && m.get(c).running());
            state.colour(c).filter(r -> runs).map(r -> r.movedPorts(cfg.services().values(), c)).orElse(List.of())
                    .forEach(moved -> out.add(new Disagreement(moved, "write " + c + "'s port back in baton.yml: a port moves"
                            + " while its colour does not run (a deploy moves the other colour's)", false)));
        }
        String move = MovedRouter.move(cfg) + " (docs/router.md, \"Moving the router\")";
        if (router.running() && !BuiltinRouter.listensOn(router.listen(), cfg.router().listen())) {
            out.add(new Disagreement("the router listens on " + router.listen() + ", not on router.listen ("
                    + MovedRouter.address(cfg.router().listen()) + ")", move + ", or write " + router.listen() + " back in router.listen"));
        }
        Optional<String> movedAdmin = router.running() || !router.type().equals("builtin") ? Optional.empty() : MovedRouter.admin(cfg);
        movedAdmin.ifPresent(moved -> out.add(new Disagreement("router.admin is " + MovedRouter.address(cfg.router().admin())
                + " in baton.yml, but " + moved, move + ", or write the old address back in router.admin")));
        if (hosts.isEmpty()) {
            if (!router.running() && router.error() == null && movedAdmin.isEmpty()) {
                out.add(new Disagreement((router.type().equals("nginx") ? "nginx" : "the router") + " is not running, so nothing"
                        + " serves " + cfg.router().listenUri(), router.type().equals("nginx")
                        ? "systemctl start nginx (or however this server starts it)" : RECOVER));
            } else if (!router.running() && router.type().equals("nginx")) {
                out.add(new Disagreement(router.error() + "; what serves there is not known", "make the server reachable"
                        + " again, then baton status", false));
            } else if (router.running() && !active.equals(router.active())) {
                out.add(new Disagreement(file + " says " + active + " serves, the router serves "
                        + (router.active() == null ? "no colour" : router.active()), RECOVER));
            }
            String serving = router.running() && router.active() != null ? router.active() : active;
            services.forEach((name, colours) -> {
                Running r = colours.get(serving);
                if (r != null && r.error() != null) {
                    Disagreement unknown = new Disagreement(r.error(), "make what did not answer answer again (the server over SSH,"
                            + " or the container engine's daemon: systemctl start docker), then baton status says what runs", false);
                    if (out.stream().noneMatch(d -> r.error().startsWith(d.what().split(";")[0]))) {
                        out.add(unknown);
                    }
                } else if (r != null && !r.running()) {
                    out.add(new Disagreement(name + " " + serving + " does not run, though " + serving + " serves", restart));
                }
            });
        }
        hosts.forEach((name, h) -> {
            if (h.error() == null && h.router() != null && !h.router().equals(active)) {
                out.add(new Disagreement(file + " says " + active + " serves, the router on " + name + " serves " + h.router(), RECOVER));
            }
            String serving = h.router() != null ? h.router() : active;
            h.running().forEach((svc, colours) -> {
                if (h.error() == null && !h.added() && !colours.contains(serving)) {
                    out.add(new Disagreement(svc + " " + serving + " does not run on " + name + ", though " + serving + " serves",
                            restart));
                }
            });
        });
        return out;
    }

    /** Per host: what its router serves and which colours run there. */
    private static Map<String, HostStatus> hosts(DeployConfig cfg, List<Server> servers) {
        Map<String, HostStatus> out = new ConcurrentHashMap<>();
        Server.onEach(servers, server -> {
            try {
                String routed = server.router().active();
                Map<String, List<String>> running = new LinkedHashMap<>();
                for (ServiceSpec s : cfg.services().values()) {
                    running.put(s.name(), cfg.colours().stream().filter(c -> server.runtime().running(s, c)).toList());
                }
                out.put(server.name(), new HostStatus(routed, running, null, routed == null && server.router().neverServed()));
            } catch (BatonException e) {
                out.put(server.name(), new HostStatus(null, Map.of(), e.getMessage()));
            }
        });
        Map<String, HostStatus> ordered = new LinkedHashMap<>();
        servers.forEach(s -> ordered.put(s.name(), out.get(s.name())));
        return ordered;
    }

    private static String revision(DeployConfig cfg) {
        var m = cfg.migrations();
        if (m.engine() == MigrationsConfig.Engine.COMMAND && m.revision().table() != null && m.url() != null) {
            try {
                List<String> cur = CommandMigrator.readTable(DatabaseUrl.parse(m.url(), m.user(), m.password()),
                        m.revision().table(), m.revision().column());
                return cur.isEmpty() ? "(empty)" : String.join(",", cur);
            } catch (BatonException e) {
                return UNKNOWN + e.getMessage();
            }
        }
        if (!m.builtin() || m.url() == null) {
            return null;
        }
        try {
            var settings = cfg.migrations().settings(true, cfg.dir().resolve("migrations"), cfg.logDir());
            List<AppliedRevision> cur = new MigrationEngine(settings, MigrationListener.NONE).current();
            return cur.isEmpty() ? "(empty)" : String.join(",", cur.stream().map(AppliedRevision::revision).toList());
        } catch (BatonException e) {
            return UNKNOWN + e.getMessage();
        }
    }

    /** The JSON of {@code baton status --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", app);
        m.put("active", state.active());
        m.put("previous", state.previous());
        m.put("release", state.release());
        m.put("commit", state.commit());
        m.put("deployed_at", state.deployedAt());
        Map<String, Object> ran = new LinkedHashMap<>();
        state.colours().forEach((c, run) -> ran.put(c, run.toMap()));
        m.put("colours", ran);
        m.put("last", last.orElse(null));
        m.put("disagreements", disagreements.stream().map(d -> Map.of("what", d.what(), "fix", d.fix())).toList());
        m.put("journal", journal.map(j -> {
            Map<String, Object> jm = j.toMap();
            jm.put("interrupted", !j.writerAlive());
            return (Object) jm;
        }).orElse(null));
        Map<String, Object> r = new LinkedHashMap<>();
        if (router.type().equals("nginx")) {
            r.put("type", "nginx");
        }
        r.put("running", router.running());
        if (router.running()) {
            r.put("active", router.active());
            r.put("in_flight", router.inFlight());
            if (router.served() >= 0) {
                r.put("served", router.served());
            }
        } else if (router.error() != null) {
            r.put("error", router.error());
        }
        r.put("url", url);
        m.put("router", r);
        Map<String, Object> svc = new LinkedHashMap<>();
        services.forEach((name, colours) -> {
            Map<String, Object> cs = new LinkedHashMap<>();
            colours.forEach((c, run) -> cs.put(c, run.error() != null ? Map.of("error", run.error()) : !run.running() ? "stopped" : run.pid() != null
                    ? Map.of("pid", run.pid(), "port", run.port()) : Map.of("port", run.port(), "host", run.host())));
            svc.put(name, cs);
        });
        m.put("services", svc);
        if (!hosts.isEmpty()) {
            Map<String, Object> hs = new LinkedHashMap<>();
            hosts.forEach((name, h) -> {
                Map<String, Object> one = new LinkedHashMap<>();
                if (h.error() != null) {
                    one.put("error", h.error());
                } else {
                    one.put("router", h.router());
                    one.put("running", h.running());
                    if (h.added()) {
                        one.put("new", true);
                    }
                }
                hs.put(name, one);
            });
            m.put("hosts", hs);
        }
        m.put("revision", revision);
        m.put("lock_holder", lockHolder);
        m.put("unreadable", unreadable());
        return m;
    }
}
