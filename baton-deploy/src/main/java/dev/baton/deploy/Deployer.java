package dev.baton.deploy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Secrets;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.HostSpec;
import dev.baton.deploy.lock.LockHolder;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.DeployEvent;
import dev.baton.deploy.pipeline.EventSink;
import dev.baton.deploy.pipeline.Pipeline;
import dev.baton.deploy.pipeline.PipelineResult;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.DeployKind;
import dev.baton.deploy.port.DeployLock;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.port.Notice;
import dev.baton.deploy.port.Notifier;
import dev.baton.deploy.port.Outcome;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.AuditLog;
import dev.baton.deploy.state.AuditRecord;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import dev.baton.deploy.state.Journal;
import dev.baton.deploy.steps.AwaitHealthy;
import dev.baton.deploy.steps.Confirm;
import dev.baton.deploy.steps.Contract;
import dev.baton.deploy.steps.DetectActive;
import dev.baton.deploy.steps.DrainAndStop;
import dev.baton.deploy.steps.LintMigrations;
import dev.baton.deploy.steps.Migrate;
import dev.baton.deploy.steps.PublishStatic;
import dev.baton.deploy.steps.Release;
import dev.baton.deploy.steps.RollbackColours;
import dev.baton.deploy.steps.RunHooks;
import dev.baton.deploy.steps.Ship;
import dev.baton.deploy.steps.StartIfStopped;
import dev.baton.deploy.steps.StartInfrastructure;
import dev.baton.deploy.steps.StartTarget;
import dev.baton.deploy.steps.SwitchTraffic;
import dev.baton.deploy.steps.Validate;
import dev.baton.deploy.steps.Verify;
import dev.baton.deploy.steps.WarmUp;
import dev.baton.wait.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a deploy or a rollback: takes the deploy lock, runs the steps as a {@link Pipeline},
 * then records the outcome in the state file and the audit log. The ports are passed in
 * ({@link Ports}), so the same deployer drives local processes, or containers on servers over SSH.
 */
public final class Deployer {
    private static final DateTimeFormatter RELEASE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The step that starts the new colour. */
    private static final String STARTS_TARGET = new StartTarget().name();

    /**
     * Steps whose failure means the deploy was refused before anything started: a wrong --confirm,
     * a rollback with nothing to go back to (or past a contract migration without --force).
     */
    private static final Set<String> REFUSING = Set.of("Confirm", new RollbackColours().name());

    private final DeployConfig config;
    private final Ports ports;
    private final List<EventSink> sinks;
    private Runnable beforeTargetStarts = () -> { };
    private Runnable afterTrafficMoves = () -> { };

    /**
     * What a deploy talks through, chosen by the wiring ({@code Wiring}).
     *
     * @param servers where to deploy, in the order of hosts:
     * @param here this machine, where gates, build and release run
     * @param lock opens the deploy lock (a new one per deploy)
     * @param migrator builds the migrator for a deploy, given its log (empty: the app has no migrations)
     * @param notifiers told how each deploy or rollback ended
     * @param shipFrom this machine's container engine, when images are shipped from it ({@code runtime.ship: ssh})
     */
    public record Ports(List<Server> servers, Host here, Supplier<DeployLock> lock, Function<DeployLog, Optional<Migrator>> migrator,
                        List<Notifier> notifiers, Optional<ServiceRuntime> shipFrom) {
        public Ports {
            servers = List.copyOf(servers);
            notifiers = List.copyOf(notifiers);
        }

        public Ports(List<Server> servers, Host here, Supplier<DeployLock> lock, Function<DeployLog, Optional<Migrator>> migrator,
                     List<Notifier> notifiers) {
            this(servers, here, lock, migrator, notifiers, Optional.empty());
        }
    }

    /** @param sinks where events go besides the deploy log (the console) */
    public Deployer(DeployConfig config, Ports ports, List<EventSink> sinks) {
        this.config = config;
        this.ports = ports;
        this.sinks = List.copyOf(sinks);
    }

    /**
     * Runs once a deploy has its routers and accessories up, just before its target starts: the
     * CLI lowers its own CPU priority there (a process it launched before, such as the router,
     * keeps its own).
     */
    public void beforeTargetStarts(Runnable r) {
        this.beforeTargetStarts = r;
    }

    /**
     * Runs once, before the first step after traffic moved to the new colour (which was raised to
     * normal priority just before): the CLI raises itself back there, so that verifying, validating,
     * draining and recording do not wait behind the load it no longer starts anything beside.
     */
    public void afterTrafficMoves(Runnable r) {
        this.afterTrafficMoves = r;
    }

    /** The steps of a deploy, in order. */
    public static List<Step<DeployContext>> deploySteps() {
        return List.of(new Confirm(), RunHooks.gates(), RunHooks.build(), new DetectActive(), new StartInfrastructure(),
                new LintMigrations(), new Ship(), new StartTarget(), new AwaitHealthy(), new PublishStatic(), new Migrate(), new WarmUp(),
                new SwitchTraffic(),
                new Verify(), new Validate(), new DrainAndStop(), new Contract(), RunHooks.cleanup(), new Release());
        // Notify follows every deploy, failed or not: see notify().
    }

    /** The steps of a rollback: back to the previous colour, started first if it is not running. */
    public static List<Step<DeployContext>> rollbackSteps() {
        return rollbackSteps(false);
    }

    /** @param force roll back even to a version that contract revisions applied since may have broken */
    public static List<Step<DeployContext>> rollbackSteps(boolean force) {
        return rollbackSteps(force, false);
    }

    /**
     * @param force roll back even to a version that contract revisions applied since may have broken
     * @param currentEnv start a stopped colour with today's environment where it differs from what it ran with
     */
    public static List<Step<DeployContext>> rollbackSteps(boolean force, boolean currentEnv) {
        return List.of(new RollbackColours(force), new StartIfStopped(currentEnv), new AwaitHealthy(), new WarmUp(),
                new SwitchTraffic(), new Validate());
    }

    public DeployOutcome deploy(String confirm) {
        return run(DeployKind.DEPLOY, deploySteps(), confirm);
    }

    public DeployOutcome rollback() {
        return rollback(false);
    }

    public DeployOutcome rollback(boolean force) {
        return rollback(force, false);
    }

    /** @param currentEnv start a stopped colour with today's environment where it differs from what it ran with */
    public DeployOutcome rollback(boolean force, boolean currentEnv) {
        return run(DeployKind.ROLLBACK, rollbackSteps(force, currentEnv), null);
    }

    private DeployOutcome run(DeployKind kind, List<Step<DeployContext>> steps, String confirm) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        String commit = commit();
        String release = RELEASE.format(started) + (commit == null ? "" : "-" + commit.substring(0, Math.min(7, commit.length())));
        String who = LockHolder.who();
        Path logFile = config.paths().deployLog(kind.word(), release);
        try (DeployLog log = new DeployLog(logFile); DeployLock lock = ports.lock().get()) {
            config.paths().keepOutOfGit();
            log.line(kind.word() + " of " + config.app() + " by " + who + " (pid " + ProcessHandle.current().pid() + ") from " + config.file());
            lock.acquire(LockHolder.name(kind.word(), config.app()), config.deadlines().lock());
            List<EventSink> all = new ArrayList<>(sinks);
            all.add(e -> log.line(e.step() + " " + e.kind() + (e.kind() == DeployEvent.Kind.STARTED || e.kind() == DeployEvent.Kind.PROGRESS ? ""
                    : " in " + e.elapsed().toMillis() + " ms") + (e.detail().isEmpty() ? "" : ": " + e.detail())));
            Optional<Migrator> migrator = ports.migrator().apply(log);
            awaitLockLoser(log, all);
            if (Recovery.needed(config, ports.servers())) {
                recover(migrator, log, who, all);
            }
            DeployState before = DeployState.load(config.stateDir());
            DeployContext ctx = new DeployContext(config, ports.servers(), ports.here(), migrator, log, confirm,
                    release, commit, before);
            ctx.shipFrom(ports.shipFrom());
            ctx.onProgress((step, text) -> {
                DeployEvent e = new DeployEvent(Instant.now(), step, DeployEvent.Kind.PROGRESS, Duration.ZERO, text);
                all.forEach(sink -> sink.accept(e));
            });
            Journal[] journal = {new Journal(kind.word(), release, ProcessHandle.current().pid(), null, null, null,
                    started.toString(), null, null, logFile.toString(), null, null, false, false, false)};
            String[] current = {null};
            Runnable writeJournal = () -> {
                String target = ctx.target();
                ColourRun run = target == null ? null : kind == DeployKind.DEPLOY
                        ? ColourRun.of(config.services().values(), target, release, commit, null, started.toString(),
                                config.version(), config.releases() != null).by(config.runtimeKind()).on(hostNames())
                                .validated(config.validate())
                        : before.colour(target).orElse(null);
                journal[0] = journal[0].at(current[0], ctx.active(), target,
                        ctx.revisionBefore().map(r -> String.join(",", r)).orElse(null),
                        ctx.migrator().flatMap(Migrator::folder).map(Path::toString).orElse(null), run, ctx.startsTarget());
                journal[0].save(config.stateDir());
            };
            ctx.onChange(writeJournal);
            boolean[] raised = {false};
            Pipeline.Guard guard = next -> {
                try {
                    lock.check();
                } catch (DeployLock.Lost lost) {
                    // undoing is safe only if no other deploy came in meanwhile: one that did has
                    // written its own journal or state; and one that holds the lock now waits for
                    // this process to end, then settles what this one leaves (its recovery)
                    boolean untouched = Journal.load(config.stateDir()).filter(j -> j.pid() == journal[0].pid()
                            && j.release().equals(journal[0].release())).isPresent()
                            && DeployState.load(config.stateDir()).equals(before);
                    if (ctx.trafficMoved()) { // a deploy that holds the lock now waits for this one: finish it
                        throw new Pipeline.GoOn(lost.getMessage() + "; traffic has moved, so this deploy finishes");
                    }
                    if (lost.retaken() && untouched) {
                        throw lost; // undo as usual
                    }
                    String why = lost.getMessage() + (lost.retaken() ? "; another deploy ran meanwhile" : "");
                    journal[0] = journal[0].at(next, ctx.active(), ctx.target(), journal[0].revisionBefore(), journal[0].migrations(),
                            journal[0].run(), journal[0].startsTarget())
                            .stopped("its deploy lock was lost");
                    journal[0].save(config.stateDir());
                    throw new Pipeline.Abandon(why + "; this deploy stops here and undoes nothing: what it did is left"
                            + " to the next holder of the lock, whose recovery settles it (or run baton recover)",
                            "the next holder of the deploy lock (baton recover)");
                }
                if (next.equals(STARTS_TARGET)) {
                    beforeTargetStarts.run();
                }
                if (ctx.trafficMoved() && !raised[0]) {
                    raised[0] = true;
                    afterTrafficMoves.run();
                }
                current[0] = next;
                writeJournal.run(); // before the step changes anything: a kill -9 from here on is recoverable
            };
            PipelineResult result = new Pipeline<>(steps, all, guard).run(ctx);
            DeployState after = before;
            boolean stateSaved = true;
            if (result.ok() || (ctx.trafficMoved() && !result.rolledBack())) {
                String revision = ctx.migrator().flatMap(Migrator::current).map(r -> String.join(",", r)).orElse(before.revision());
                boolean deploy = kind == DeployKind.DEPLOY;
                after = new DeployState(ctx.target(), ctx.active(), revision, deploy ? release : before.release(),
                        deploy ? commit : before.commit(), Instant.now().toString(), before.colours());
                if (deploy) { // what the target runs, so that a rollback to it restarts exactly that
                    after = after.with(ctx.target(), ColourRun.of(config.services().values(), ctx.target(), release, commit,
                            revision, Instant.now().toString(), config.version(), config.releases() != null).by(config.runtimeKind())
                            .on(hostNames()).validated(config.validate()));
                } else { // a rollback serves the colour on today's ports (started again on them, or checked to be them)
                    String target = ctx.target();
                    DeployState rolledBack = after;
                    after = before.colour(target).map(r -> rolledBack.with(target, r.onPorts(config.services().values(), target)
                                    .by(ctx.startsTarget() ? config.runtimeKind() : r.runtime()).on(hostNames())))
                            .orElse(after);
                }
                try {
                    after.save(config.stateDir());
                } catch (BatonException e) {
                    // traffic has moved: the journal stays, so that `baton recover` writes the state once it can
                    stateSaved = false;
                    if (result.ok()) {
                        Exception failed = new BatonException(ExitCode.STATE, e.getMessage() + "; " + ctx.target()
                                + " serves: run baton recover once the state folder is writable (the next deploy does it too)");
                        DeployEvent ev = new DeployEvent(Instant.now(), "State", DeployEvent.Kind.FAILED, Duration.ZERO,
                                failed.getMessage());
                        all.forEach(sink -> sink.accept(ev));
                        List<DeployEvent> events = new ArrayList<>(result.events());
                        events.add(ev);
                        result = new PipelineResult("State", failed, false, events, true);
                    }
                }
            }
            if (result.error() != null) {
                log.line("failed: " + result.error());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Outcome outcome = result.ok() ? Outcome.SUCCEEDED : REFUSING.contains(result.failedStep()) ? Outcome.REFUSED
                    : result.rolledBack() ? Outcome.ROLLED_BACK : result.finalized() ? Outcome.DEPLOYED_WITH_FAILURES : Outcome.FAILED;
            String error = result.error() == null ? null : Secrets.redact(String.valueOf(result.error().getMessage()));
            String version = kind == DeployKind.DEPLOY ? config.version()
                    : Optional.ofNullable(ctx.target()).flatMap(before::colour).map(ColourRun::version).orElse(null);
            List<String> notified = outcome == Outcome.REFUSED ? List.of() : notify(new Notice(config.app(), kind, release, version, outcome, ctx.active(), ctx.target(),
                    took.toMillis(), result.failedStep(), error, config.router().listenUri().toString()), all);
            List<AuditRecord.StepRecord> stepRecords = result.events().stream().filter(e -> e.kind() != DeployEvent.Kind.STARTED)
                    .map(e -> new AuditRecord.StepRecord(e.step(), e.kind().name(), e.elapsed().toMillis(), e.detail())).toList();
            boolean abandoned = result.error() instanceof Pipeline.Abandon;
            if (!abandoned) { // an abandoned deploy's record is written by the recovery that settles it
                new AuditLog(config.stateDir()).append(new AuditRecord(kind, release, version, config.app(), who, started.toString(),
                    took.toMillis(), outcome, ctx.active(), ctx.target(), after.active(), ctx.commit(),
                    ctx.revisionBefore().map(r -> String.join(",", r)).orElse(null), after.revision(), result.failedStep(), error,
                    logFile.toString(), stepRecords, notified));
            }
            Optional<DeployEvent> undoFailed = result.events().stream().filter(e -> e.kind() == DeployEvent.Kind.UNDO_FAILED).findFirst();
            if (!result.ok() && !abandoned && undoFailed.isPresent()) {
                // what it could not take back (a schema its database was gone for, a router that died)
                // is left to `baton recover`, which finishes the undo once the cause is fixed
                journal[0] = journal[0].undoFailed("the undo of " + undoFailed.get().step() + " failed: "
                        + Secrets.redact(undoFailed.get().detail().lines().findFirst().orElse("")), ctx.trafficMoved());
                try {
                    journal[0].save(config.stateDir());
                } catch (BatonException e) {
                    log.line(e.getMessage() + "; baton recover finds what is left from the routers and state.json");
                }
            } else if (stateSaved && !abandoned) {
                Journal.clear(config.stateDir()); // the outcome is recorded: nothing left to recover
            }
            return new DeployOutcome(release, ctx.active(), ctx.target(), outcome, result, after, logFile, took);
        }
    }

    /**
     * What {@link #deploy} would do, without doing it: no lock, nothing started, switched or
     * written. Each step tells its part ({@link Step#plan}); state.json gives the colours.
     *
     * @param sql whether the migrations' SQL is shown
     */
    public DeployPlan plan(String confirm, boolean sql) {
        String commit = commit();
        String release = RELEASE.format(Instant.now()) + (commit == null ? "" : "-" + commit.substring(0, Math.min(7, commit.length())));
        DeployLog none = DeployLog.none();
        DeployContext ctx = new DeployContext(config, ports.servers(), ports.here(), ports.migrator().apply(none), none, confirm,
                release, commit, DeployState.load(config.stateDir()));
        ctx.planSql(sql);
        ctx.shipFrom(ports.shipFrom());
        List<String> notes = new ArrayList<>();
        Journal.load(config.stateDir()).ifPresent(j -> notes.add(j.writerAlive()
                ? "a " + j.kind() + " runs now (pid " + j.pid() + ", at " + j.step() + "): this deploy would wait for its lock"
                : j.what() + " left a journal: the deploy would settle it first (baton recover)"));
        // never deployed: nothing to disagree with (and the servers' routers are not asked)
        if (notes.isEmpty() && ctx.before().active() != null && Recovery.needed(config, ports.servers())) {
            notes.add("what serves is not what " + config.paths().state().getFileName() + " says (see baton status): the deploy"
                    + " would settle it first (baton recover)");
        }
        List<StepPlan> steps = new ArrayList<>();
        for (Step<DeployContext> step : deploySteps()) {
            steps.add(step.plan(ctx));
        }
        steps.add(ports.notifiers().isEmpty() ? StepPlan.skipped("Notify", "no notify: in baton.yml")
                : StepPlan.runs("Notify", List.of("tells " + String.join(", ", ports.notifiers().stream().map(Notifier::describe).toList())
                        + " how the deploy ended, whatever the outcome"), List.of()));
        return new DeployPlan(config.app(), config.version(), config.file(), ctx.active(), ctx.target(), notes, steps);
    }

    /**
     * {@code baton recover}: under the deploy lock, settles a killed deploy, restarts a router that
     * is not running and points every router at a colour that serves, and makes state.json agree.
     */
    public Recovery.Report recover() {
        Instant started = Instant.now();
        String who = LockHolder.who();
        Path logFile = config.paths().deployLog(DeployKind.RECOVER.word(), RELEASE.format(started));
        try (DeployLog log = new DeployLog(logFile); DeployLock lock = ports.lock().get()) {
            config.paths().keepOutOfGit();
            lock.acquire(LockHolder.name(DeployKind.RECOVER.word(), config.app()), config.deadlines().lock());
            List<EventSink> all = new ArrayList<>(sinks);
            all.add(e -> log.line(e.step() + " " + e.kind() + " in " + e.elapsed().toMillis() + " ms: " + e.detail()));
            awaitLockLoser(log, all);
            return recover(ports.migrator().apply(log), log, who, all);
        }
    }

    /**
     * A deploy whose lock session ended goes on until its next step, then stops and leaves what it
     * did to the holder of the lock: that is this process now, so it waits for that deploy to end
     * before it recovers (settling a deploy that still runs would race it).
     */
    /** The servers of this deploy, by baton.yml's names: recorded per colour, so that one removed from hosts is named later. */
    private List<String> hostNames() {
        return config.hosts().stream().map(HostSpec::name).toList();
    }

    private void awaitLockLoser(DeployLog log, List<EventSink> sinks) {
        Optional<Journal> running = Journal.load(config.stateDir())
                .filter(j -> j.pid() != ProcessHandle.current().pid() && j.writerAlive());
        if (running.isEmpty()) {
            return;
        }
        Journal j = running.get();
        String who = j.kind() + " " + j.release() + " (pid " + j.pid() + ")";
        log.line("waiting for " + who + ", which lost the deploy lock, to stop");
        long start = System.nanoTime();
        Duration wait = config.deadlines().lock().compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : config.deadlines().lock();
        try {
            Wait.of(who + ", which lost the deploy lock, to stop", wait, Duration.ofMillis(100))
                    .until(() -> j.writerAlive() ? Optional.of("it is at " + j.step()) : Optional.empty());
        } catch (Wait.TimedOut e) {
            throw BatonException.state(e.getMessage() + "; it lost the deploy lock and stops before its next step:"
                    + " wait for it (or stop it), then run this again");
        }
        DeployEvent e = new DeployEvent(Instant.now(), "Wait", DeployEvent.Kind.SUCCEEDED, Duration.ofNanos(System.nanoTime() - start),
                who + ", which lost the deploy lock, has stopped");
        sinks.forEach(sink -> sink.accept(e));
    }

    /** Runs the recovery, tells the sinks, and writes what it did to the audit log. */
    /**
     * How long a killed deploy ran, as far as its journal tells: from its start to the start of the
     * step it was killed in (the journal's last write); {@code otherwise} when that cannot be told.
     */
    private static long ranFor(Journal j, Optional<Instant> written, long otherwise) {
        if (j.started() == null) {
            return otherwise;
        }
        try {
            return written.map(w -> Duration.between(Instant.parse(j.started()), w).toMillis()).filter(ms -> ms >= 0).orElse(otherwise);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    private Recovery.Report recover(Optional<Migrator> migrator, DeployLog log, String who, List<EventSink> all) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        Optional<Instant> journalWritten = Journal.lastWritten(config.stateDir()); // before the recovery removes it
        Recovery.Report r;
        try {
            r = new Recovery(config, ports.servers(), migrator, log).run();
        } catch (RuntimeException e) {
            DeployEvent failed = new DeployEvent(Instant.now(), "Recover", DeployEvent.Kind.FAILED,
                    Duration.ofNanos(System.nanoTime() - start), BatonException.describe(e));
            all.forEach(sink -> sink.accept(failed));
            throw e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String detail = r.neverDeployed() ? "never deployed: nothing runs and nothing is recorded"
                : r.actions().isEmpty() ? "nothing to do: " + r.serving() + " serves and state.json says so"
                : String.join("; ", r.actions());
        DeployEvent e = new DeployEvent(Instant.now(), "Recover", r.neverDeployed() ? DeployEvent.Kind.SKIPPED
                : r.serving() == null ? DeployEvent.Kind.FAILED : DeployEvent.Kind.SUCCEEDED, Duration.ofMillis(ms), Secrets.redact(detail));
        all.forEach(sink -> sink.accept(e));
        if (r.changed()) {
            List<AuditRecord.StepRecord> steps = List.of(new AuditRecord.StepRecord("Recover", e.kind().name(), ms, e.detail()));
            // a killed deploy's record is this one; a failed deploy wrote its own, and this is the recovery's
            AuditRecord record = r.journal().filter(j -> !j.failed()).map(j -> new AuditRecord(DeployKind.valueOf(j.kind().toUpperCase(Locale.ROOT)),
                    j.release(), j.run() == null ? null : j.run().version(), config.app(), who, j.started(), ranFor(j, journalWritten, ms),
                    Outcome.INTERRUPTED, j.from(), j.to(), r.serving(),
                    j.run() == null ? null : j.run().commit(), j.revisionBefore(), r.state().revision(), j.step(),
                    j.how() + "; recovered by " + who + ": " + e.detail(), j.log(), steps, List.of()))
                    .orElseGet(() -> new AuditRecord(DeployKind.RECOVER, RELEASE.format(started), null, config.app(), who,
                            started.toString(), ms, r.serving() == null ? Outcome.FAILED : Outcome.SUCCEEDED, null, null,
                            r.serving(), null, null, r.state().revision(), null, null, log.file().toString(), steps, List.of()));
            new AuditLog(config.stateDir()).append(record);
        }
        return r;
    }

    /** Reference step 17: every notifier hears how it ended; a notice that fails is reported, never fatal. Returns who was told. */
    private List<String> notify(Notice notice, List<EventSink> all) {
        List<String> told = new ArrayList<>();
        if (ports.notifiers().isEmpty()) {
            return told;
        }
        long start = System.nanoTime();
        List<String> failed = new ArrayList<>();
        for (Notifier n : ports.notifiers()) {
            try {
                n.send(notice);
                told.add(n.describe());
            } catch (Exception e) {
                failed.add(n.describe() + ": " + BatonException.describe(e));
            }
        }
        Duration t = Duration.ofNanos(System.nanoTime() - start);
        DeployEvent e = failed.isEmpty()
                ? new DeployEvent(Instant.now(), "Notify", DeployEvent.Kind.SUCCEEDED, t, told.size() + " notified")
                : new DeployEvent(Instant.now(), "Notify", DeployEvent.Kind.FAILED, t, Secrets.redact(
                        "not delivered (the deploy's outcome stands): " + String.join("; ", failed)));
        all.forEach(s -> s.accept(e));
        return told;
    }

    /** The git commit of the config's folder (on this machine), if it is a git checkout. */
    private String commit() {
        try {
            CommandResult r = ports.here().run(Command.of("git", "rev-parse", "--short=12", "HEAD").in(config.dir()).timeout(Duration.ofSeconds(5)));
            return r.ok() ? r.output().strip() : null;
        } catch (RuntimeException e) {
            return null; // no git here
        }
    }
}
