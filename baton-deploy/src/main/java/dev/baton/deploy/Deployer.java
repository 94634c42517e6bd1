package dev.baton.deploy;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.steps.AwaitHealthy;
import dev.baton.deploy.steps.Confirm;
import dev.baton.deploy.steps.DetectActive;
import dev.baton.deploy.steps.DrainAndStop;
import dev.baton.deploy.steps.Migrate;
import dev.baton.deploy.notify.Notice;
import dev.baton.deploy.notify.Notifier;
import dev.baton.deploy.steps.PublishStatic;
import dev.baton.deploy.steps.Release;
import dev.baton.deploy.steps.RollbackColours;
import dev.baton.deploy.steps.RunHooks;
import dev.baton.deploy.steps.StartIfStopped;
import dev.baton.deploy.steps.StartInfrastructure;
import dev.baton.deploy.steps.StartTarget;
import dev.baton.deploy.steps.SwitchTraffic;
import dev.baton.deploy.steps.Validate;
import dev.baton.deploy.steps.Verify;
import dev.baton.deploy.steps.WarmUp;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a deploy or a rollback: takes the deploy lock, runs the steps as a {@link Pipeline},
 * then records the outcome in the state file and the audit log. The ports are passed in, so the
 * same deployer drives local processes or (later) containers over SSH.
 */
public final class Deployer {
    private static final DateTimeFormatter RELEASE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final DeployConfig config;
    private final List<Server> servers;
    private final Function<DeployLog, Migrator> migrator;
    private final List<EventSink> sinks;
    private final List<Notifier> notifiers;

    /**
     * @param servers where to deploy, in the order of hosts:
     * @param migrator builds the migrator for a deploy, given its log (null result: no migrations)
     * @param sinks where events go besides the deploy log (the console)
     * @param notifiers told how each deploy or rollback ended
     */
    public Deployer(DeployConfig config, List<Server> servers, Function<DeployLog, Migrator> migrator, List<EventSink> sinks,
                    List<Notifier> notifiers) {
        this.config = config;
        this.servers = List.copyOf(servers);
        this.notifiers = List.copyOf(notifiers);
        this.migrator = migrator;
        this.sinks = List.copyOf(sinks);
    }

    /** The steps of a deploy, in order. */
    public static List<Step<DeployContext>> deploySteps() {
        return List.of(new Confirm(), RunHooks.gates(), RunHooks.build(), new DetectActive(), new StartInfrastructure(),
                new StartTarget(), new AwaitHealthy(), new PublishStatic(), new Migrate(), new WarmUp(), new SwitchTraffic(),
                new Verify(), new Validate(), new DrainAndStop(), RunHooks.cleanup(), new Release());
        // Notify follows every deploy, failed or not: see notify().
    }

    /** The steps of a rollback: back to the previous colour, started first if it is not running. */
    public static List<Step<DeployContext>> rollbackSteps() {
        return List.of(new RollbackColours(), new StartIfStopped(), new AwaitHealthy(), new WarmUp(), new SwitchTraffic(),
                new Validate());
    }

    public DeployOutcome deploy(String confirm) {
        return run("deploy", deploySteps(), confirm);
    }

    public DeployOutcome rollback() {
        return run("rollback", rollbackSteps(), null);
    }

    private DeployOutcome run(String kind, List<Step<DeployContext>> steps, String confirm) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        String commit = commit();
        String release = RELEASE.format(started) + (commit == null ? "" : "-" + commit.substring(0, Math.min(7, commit.length())));
        String who = System.getProperty("user.name") + "@" + hostName();
        Path logFile = config.logDir().resolve(kind + "-" + release + ".log");
        try (DeployLog log = new DeployLog(logFile); DeployLock lock = DeployLock.forConfig(config)) {
            log.line(kind + " of " + config.app() + " by " + who + " (pid " + ProcessHandle.current().pid() + ") from " + config.file());
            String holderName = "baton " + kind + " " + config.app() + " by " + who + " pid " + ProcessHandle.current().pid();
            lock.acquire(holderName.length() > 63 ? holderName.substring(0, 63) : holderName, config.deadlines().lock());
            DeployState before = DeployState.load(config.stateDir());
            DeployContext ctx = new DeployContext(config, servers, migrator.apply(log), log, confirm, release,
                    commit, before);
            List<EventSink> all = new ArrayList<>(sinks);
            all.add(log);
            PipelineResult result = new Pipeline<>(steps, all).run(ctx);
            DeployState after = before;
            if (result.ok() || (ctx.trafficMoved() && !result.rolledBack())) {
                List<String> rev = ctx.migrator() == null ? null : ctx.migrator().current();
                after = new DeployState(ctx.target(), ctx.active(), rev == null ? before.revision() : String.join(",", rev),
                        kind.equals("deploy") ? release : before.release(), kind.equals("deploy") ? commit : before.commit(),
                        Instant.now().toString());
                after.save(config.stateDir());
            }
            if (result.error() != null) {
                log.line("failed: " + result.error());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Map<String, Object> record = audit(kind, release, who, started, took, ctx, result, after, logFile);
            record.put("notified", notify(kind, release, ctx, result, took, all));
            new AuditLog(config.stateDir()).append(record);
            return new DeployOutcome(release, ctx.active(), ctx.target(), result, after, logFile, took);
        }
    }

    /** Reference step 17: every notifier hears how it ended; a notice that fails is reported, never fatal. */
    private List<Object> notify(String kind, String release, DeployContext ctx, PipelineResult result, Duration took,
                                List<EventSink> all) {
        List<Object> out = new ArrayList<>();
        if (notifiers.isEmpty()) {
            return out;
        }
        String outcome = result.ok() ? "succeeded" : result.rolledBack() ? "rolled_back" : "failed";
        Notice notice = new Notice(config.app(), kind, release, outcome, ctx.active(), ctx.target(), took.toMillis(),
                result.failedStep(), result.error() == null ? null : dev.baton.Secrets.redact(String.valueOf(result.error().getMessage())),
                config.router().listenUri().toString());
        long start = System.nanoTime();
        List<String> failed = new ArrayList<>();
        for (Notifier n : notifiers) {
            try {
                n.send(notice);
                out.add(n.describe());
            } catch (Exception e) {
                failed.add(n.describe() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        Duration t = Duration.ofNanos(System.nanoTime() - start);
        DeployEvent e = failed.isEmpty()
                ? new DeployEvent(Instant.now(), "Notify", DeployEvent.Kind.SUCCEEDED, t, out.size() + " notified")
                : new DeployEvent(Instant.now(), "Notify", DeployEvent.Kind.FAILED, t, dev.baton.Secrets.redact(
                        "not delivered (the deploy's outcome stands): " + String.join("; ", failed)));
        all.forEach(s -> s.accept(e));
        return out;
    }

    private Map<String, Object> audit(String kind, String release, String who, Instant started, Duration took,
                                      DeployContext ctx, PipelineResult result, DeployState after, Path logFile) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", kind);
        r.put("release", release);
        r.put("app", config.app());
        r.put("by", who);
        r.put("started", started.toString());
        r.put("ms", took.toMillis());
        r.put("outcome", result.ok() ? "succeeded" : result.rolledBack() ? "rolled_back" : "failed");
        r.put("from", ctx.active());
        r.put("to", ctx.target());
        r.put("active", after.active());
        r.put("commit", ctx.commit());
        r.put("revision_before", ctx.revisionBefore() == null ? null : String.join(",", ctx.revisionBefore()));
        r.put("revision", after.revision());
        r.put("failed_step", result.failedStep());
        r.put("error", result.error() == null ? null : dev.baton.Secrets.redact(String.valueOf(result.error().getMessage())));
        r.put("log", logFile.toString());
        List<Object> steps = new ArrayList<>();
        for (DeployEvent e : result.events()) {
            if (e.kind() == DeployEvent.Kind.STARTED) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", e.step());
            s.put("outcome", e.kind().name().toLowerCase(java.util.Locale.ROOT));
            s.put("ms", e.elapsed().toMillis());
            s.put("detail", e.detail());
            steps.add(s);
        }
        r.put("steps", steps);
        return r;
    }

    /** The git commit of the config's folder (on this machine), if it is a git checkout. */
    private String commit() {
        try {
            CommandResult r = new LocalHost().run(Command.of("git", "rev-parse", "--short=12", "HEAD").in(config.dir()).timeout(Duration.ofSeconds(5)));
            return r.ok() ? r.output().strip() : null;
        } catch (RuntimeException e) {
            return null; // no git here
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
