package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.internal.Adoption;
import dev.baton.migrate.internal.ForeignHistory;
import dev.baton.migrate.internal.HistoryTable;
import dev.baton.migrate.internal.MigrationLock;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.Planner;
import dev.baton.migrate.internal.Postgres;
import dev.baton.migrate.internal.RevisionGraph;
import dev.baton.migrate.internal.RevisionLoader;
import dev.baton.migrate.internal.RevisionWriter;
import dev.baton.migrate.internal.RunLog;
import dev.baton.migrate.internal.Runner;
import dev.baton.migrate.internal.ScriptRenderer;
import dev.baton.migrate.internal.ServingQueries;
import dev.baton.migrate.internal.Target;
import dev.baton.migrate.internal.Verifier;
import dev.baton.migrate.internal.lint.LintFingerprint;
import dev.baton.migrate.internal.lint.Linter;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migration engine's entry point: one method per verb of {@code baton migrate}. Reads the
 * folder (checking the graph) before it touches the database, and takes the migration lock for
 * anything that writes.
 */
public final class MigrationEngine {
    private final MigrateSettings settings;
    private final MigrationListener listener;
    private final HistoryTable table;
    private RevisionLoader.Loaded loaded;
    private volatile Runner running;
    private volatile boolean cancelled;
    private RevisionGraph graph;

    public MigrationEngine(MigrateSettings settings, MigrationListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.table = new HistoryTable(settings.table());
    }

    /** The folder it reads its revisions from. */
    public Path dir() {
        return settings.dir();
    }

    /** The same engine on the same database, reading its revisions from {@code dir} (another release's folder). */
    public MigrationEngine withDir(Path dir) {
        return new MigrationEngine(settings.withDir(dir), listener);
    }

    /** The folder's revisions in graph order. */
    public List<Revision> revisions() {
        return graph().revisions();
    }

    public Layout layout() {
        graph();
        return loaded.layout();
    }

    /** The folder's heads (leaves of the graph). */
    public List<Revision> heads() {
        return graph().heads();
    }

    /** Applied heads, read from the history table alone (the folder is not needed). */
    public List<AppliedRevision> current() {
        try (Connection c = Postgres.connect(settings.database(), "current")) {
            return Planner.appliedHeads(table.applied(c));
        } catch (SQLException e) {
            throw databaseError("read the history table", e);
        }
    }

    /** Every revision of the folder in graph order, with its applied record if any. */
    public List<HistoryEntry> history() {
        RevisionGraph g = graph();
        Map<String, AppliedRevision> applied = readApplied();
        Set<String> heads = new HashSet<>();
        g.heads().forEach(r -> heads.add(r.id()));
        List<HistoryEntry> out = new ArrayList<>();
        for (Revision r : g.revisions()) {
            out.add(new HistoryEntry(r, heads.contains(r.id()), applied.get(r.id())));
        }
        for (Revision r : g.repeatables()) {
            out.add(new HistoryEntry(r, false, applied.get(r.id())));
        }
        return out;
    }

    public Status status() {
        RevisionGraph g = graph();
        Map<String, AppliedRevision> applied;
        List<HistoryTable.Interrupted> interrupted;
        List<String> otherTools;
        try (Connection c = Postgres.connect(settings.database(), "read")) {
            applied = table.applied(c);
            interrupted = table.interrupted(c);
            otherTools = applied.isEmpty() ? ForeignHistory.find(c) : List.of();
        } catch (SQLException e) {
            throw databaseError("read the history table", e);
        }
        Set<String> wanted = g.closure(g.heads().stream().map(Revision::id).toList());
        wanted.removeAll(applied.keySet());
        List<Revision> pending = new ArrayList<>(g.inOrder(wanted));
        pending.addAll(new Planner(g).dueRepeatables(applied));
        return new Status(Planner.revisionIds(Planner.appliedHeads(applied)), g.heads().stream().map(Revision::id).toList(),
                pending, interrupted.stream().map(HistoryTable.Interrupted::toString).toList(), otherTools);
    }

    /**
     * {@code baton migrate repair}: after an operator has looked, clears every interrupted revision
     * (recorded as not applied, so an upgrade runs it again; or, with {@code applied}, as applied,
     * when it was finished by hand) and records the checksums of applied revisions whose files
     * were edited on purpose. Each is a history row carrying {@code reason}. Returns what it did.
     */
    public List<String> repair(String reason, boolean applied) {
        if (reason == null || reason.isBlank()) {
            throw BatonException.usage("say why with --reason (it is kept in the history table with who ran the repair)");
        }
        Map<String, Revision> byId = new LinkedHashMap<>();
        graph().revisions().forEach(r -> byId.put(r.id(), r));
        List<String> done = new ArrayList<>();
        try (Connection lockSession = Postgres.connect(settings.database(), "lock");
             Connection work = Postgres.connect(settings.database(), "repair");
             MigrationLock lock = MigrationLock.acquire(lockSession, MigrationLock.keyFor(settings.table()),
                     settings.lockTimeout(), listener::note);
             RunLog log = RunLog.open(settings.logDir(), "repair");
             Statement st = work.createStatement()) {
            if (!table.exists(work)) {
                return List.of();
            }
            table.upgradeSchema(work);
            st.execute(HistoryTable.MARK_START);
            for (HistoryTable.Interrupted i : table.interrupted(work)) {
                Revision r = byId.get(i.revision());
                Direction d = applied ? Direction.STAMP : Direction.REPAIRED;
                st.execute(table.insert(new HistoryTable.Row(i.revision(), r == null ? List.of() : r.parents(), reason,
                        r == null ? null : r.checksum(), d, appliedBy())));
                done.add(i.revision() + ": " + i + "; now recorded as " + (d == Direction.STAMP ? "applied" : "not applied"));
            }
            for (AppliedRevision a : table.applied(work).values()) {
                Revision r = byId.get(a.revision());
                if (r != null && a.checksum() != null && r.checksum() != null && !a.checksum().equals(r.checksum())) {
                    st.execute(table.insert(new HistoryTable.Row(r.id(), r.parents(), reason, r.checksum(), Direction.STAMP,
                            appliedBy())));
                    done.add(r.id() + ": the checksum of " + r.source() + " is recorded anew (the file was edited)");
                }
            }
            done.forEach(d -> log.line("repaired " + d + " (reason: " + reason + ")"));
            return done;
        } catch (SQLException e) {
            throw databaseError("repair", e);
        }
    }

    /**
     * {@code baton migrate adopt}: takes over a database another tool migrated. Reads that tool's
     * history ({@code from} names the tool when there are several), matches it to the folder,
     * and records the revisions it applied as {@link Direction#ADOPTED}, in one transaction
     * under the migration lock; the other tool's table is left as it is. Refused when Baton has
     * already recorded revisions here.
     */
    public AdoptReport adopt(String from) {
        RevisionGraph g = graph();
        try (Connection lockSession = Postgres.connect(settings.database(), "lock");
             Connection work = Postgres.connect(settings.database(), "adopt");
             MigrationLock lock = MigrationLock.acquire(lockSession, MigrationLock.keyFor(settings.table()),
                     settings.lockTimeout(), listener::note);
             RunLog log = RunLog.open(settings.logDir(), "adopt")) {
            if (!table.exists(work)) {
                table.create(work);
            } else {
                table.upgradeSchema(work);
            }
            Map<String, AppliedRevision> applied = table.applied(work);
            if (!applied.isEmpty() || !table.interrupted(work).isEmpty()) {
                throw new BatonException(ExitCode.STATE, "Baton already records " + applied.size() + " applied revision(s) in "
                        + table.name() + "; adopt takes over a database Baton has not migrated yet (`baton migrate status`"
                        + " shows where it is)");
            }
            Adoption.Plan plan = new Adoption(g, loaded.layout()).plan(work, from);
            String why = "adopted from " + plan.tool() + " (" + plan.table() + ")";
            work.setAutoCommit(false);
            try (Statement st = work.createStatement()) {
                st.execute(HistoryTable.MARK_START);
                for (Revision r : plan.revisions()) {
                    st.addBatch(table.insert(new HistoryTable.Row(r.id(), r.parents(), why, r.checksum(), Direction.ADOPTED,
                            appliedBy())));
                }
                st.executeBatch();
                work.commit();
            } catch (SQLException e) {
                work.rollback();
                throw e;
            }
            List<String> ids = plan.revisions().stream().map(Revision::id).toList();
            log.line(why + ": " + ids.size() + " revision(s) recorded as applied"
                    + (ids.isEmpty() ? "" : ", " + ids.get(0) + " to " + ids.get(ids.size() - 1)));
            plan.notes().forEach(log::line);
            Map<String, AppliedRevision> now = table.applied(work);
            return new AdoptReport(plan.tool(), plan.table(), ids, plan.notes(), new Planner(g).upgrade(now, Target.upgrade("heads"))
                    .stream().map(PlannedStep::revision).toList());
        } catch (SQLException e) {
            throw databaseError("adopt", e);
        }
    }

    /** What an upgrade to the heads would run in {@code phase}, read from the database now. */
    public List<Revision> pending(Phase phase) {
        return new Planner(graph()).upgrade(readApplied(), Target.upgrade("heads"), phase).stream()
                .map(PlannedStep::revision).toList();
    }

    /**
     * The contract revisions applied now that were not when the schema was at {@code heads} (what
     * a colour was deployed with): a version deployed then may use what they removed. Empty when
     * {@code heads} names a revision the folder does not have (nothing can be said).
     */
    public List<String> contractAppliedSince(List<String> heads) {
        RevisionGraph g = graph();
        if (!heads.stream().allMatch(g::contains)) {
            return List.of();
        }
        Set<String> then = g.closure(heads);
        List<String> out = new ArrayList<>();
        for (String id : readApplied().keySet()) {
            Revision r = g.get(id);
            if (r != null && r.contract() && !then.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * {@code baton migrate lint}: what the pending revisions (an upgrade to the heads) would do to
     * the version still serving, observed on a shadow database made on the server of
     * {@code shadowAdmin} (null: the target's own server) and brought to the target's revision;
     * read statically where no shadow can be made. Reads the target, never writes it.
     */
    public LintReport lint(DatabaseUrl shadowAdmin) {
        return prepareLint(shadowAdmin).run().get();
    }

    /**
     * {@link #lint} in two parts: reads the target now (applied and pending revisions, the serving
     * queries) and returns the rest (the shadow database, made, observed and dropped), which may
     * run later on another thread: a deploy runs it while its new colour starts, whose queries must
     * not be taken for the serving version's. The target must not move in between (a deploy holds
     * its lock). The fingerprint lets a caller reuse an earlier report of the same inputs.
     */
    public PreparedLint prepareLint(DatabaseUrl shadowAdmin) {
        RevisionGraph g = graph();
        Map<String, AppliedRevision> applied = readApplied();
        List<PlannedStep> pending = new Planner(g).upgrade(applied, Target.upgrade("heads"));
        List<String> heads = Planner.revisionIds(Planner.appliedHeads(applied));
        if (applied.isEmpty()) {
            LintReport none = new LintReport(List.of(), List.of(), List.of(), "nothing applied yet: no version serves on this schema,"
                    + " so the pending revisions cannot break one");
            return new PreparedLint(Optional.empty(), () -> none);
        }
        Linter.Replay replay = shadow -> {
            MigrationEngine onShadow = new MigrationEngine(new MigrateSettings(shadow, settings.dir(), loaded.layout(),
                    settings.table(), settings.lockTimeout(), settings.javaMigrations(), null,
                    settings.statementLocks(), settings.placeholders()), new MigrationListener() { });
            for (String head : heads) {
                onShadow.upgrade(head, false, true);
            }
        };
        List<String> serving;
        String version;
        try (Connection c = Postgres.connect(settings.database(), "lint")) {
            serving = servingQueries(c).queries();
            version = c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw databaseError("read the serving queries", e);
        }
        DatabaseUrl admin = shadowAdmin != null ? shadowAdmin : settings.database();
        return new PreparedLint(LintFingerprint.of(g.revisions(), applied, pending, serving, settings, admin.display(), version),
                () -> Linter.lint(admin, replay, pending, serving, listener::note));
    }

    /**
     * Applies revisions up to {@code target}: {@code head} (the unique head), {@code heads} (every
     * branch), a revision id or prefix, or {@code +N}.
     */
    public RunReport upgrade(String target, boolean singleTransaction, boolean allowChanged) {
        return upgrade(target, singleTransaction, allowChanged, Phase.ALL);
    }

    /** An upgrade, or one phase of it ({@link Phase}): a deploy runs the expand part before the switch, the contract part after the old version stopped. */
    public RunReport upgrade(String target, boolean singleTransaction, boolean allowChanged, Phase phase) {
        Planner planner = new Planner(graph());
        Target to = Target.upgrade(target);
        if (!(to instanceof Target.Relative)) {
            planner.ids(to); // fail on bad targets before connecting
        }
        return locked("upgrade", (c, applied) -> {
            planner.checkApplied(applied, allowChanged, settings.dir());
            List<PlannedStep> plan = planner.upgrade(applied, to, phase);
            if (singleTransaction) {
                for (PlannedStep s : plan) {
                    if (!s.revision().transactional()) {
                        throw BatonException.usage("revision " + s.revision().id() + " (" + s.revision().source()
                                + ") is non-transactional and cannot run inside --single-transaction;"
                                + " upgrade to the revision before it, then run it on its own");
                    }
                }
            }
            return plan;
        }, Direction.UPGRADE, singleTransaction);
    }

    /** Reverts revisions down to {@code target}: a revision id (kept applied), {@code -N}, or {@code base}. */
    /**
     * Ctrl-C: cancels the statement an upgrade or downgrade runs now (PostgreSQL's cancel request)
     * and starts no further one; the run then ends as a failed revision does. Safe from another thread.
     */
    public void cancel() {
        cancelled = true;
        Runner r = running;
        if (r != null) {
            r.cancel();
        }
    }

    public RunReport downgrade(String target) {
        Planner planner = new Planner(graph());
        Target to = Target.downgrade(target);
        if (to instanceof Target.Id) {
            planner.ids(to); // fail on bad targets before connecting
        }
        return locked("downgrade", (c, applied) -> {
            planner.checkApplied(applied, true, settings.dir());
            return planner.downgrade(applied, to);
        }, Direction.DOWNGRADE, false);
    }

    /** Records the database as being at {@code target} without running anything. */
    public RunReport stamp(String target) {
        Planner planner = new Planner(graph());
        Target to = Target.stamp(target);
        planner.ids(to); // fail on bad targets before connecting
        return locked("stamp", (c, applied) -> planner.stamp(applied, to), Direction.STAMP, false);
    }

    /**
     * The SQL an upgrade to {@code target} would run, without running it. With {@code from} null the
     * starting point is read from the database; otherwise it is that revision (or {@code base}) and no
     * database is needed.
     */
    public String sql(String target, String from) {
        RevisionGraph g = graph();
        Map<String, AppliedRevision> applied = new LinkedHashMap<>();
        boolean tableExists = false;
        if (from == null) {
            try (Connection c = Postgres.connect(settings.database(), "sql")) {
                tableExists = table.exists(c);
                applied = table.applied(c);
            } catch (SQLException e) {
                throw databaseError("read the history table", e);
            }
        } else if (!from.equals("base")) {
            for (String id : g.closure(List.of(g.resolve(from).id()))) {
                applied.put(id, null);
            }
        }
        List<PlannedStep> plan = new Planner(g).upgrade(applied, Target.upgrade(target));
        return ScriptRenderer.render(table, plan, tableExists, appliedBy());
    }

    /** Checks applied revisions against the folder and that the named tables exist. */
    public VerifyReport verify(List<String> tables) {
        RevisionGraph g = graph();
        try (Connection c = Postgres.connect(settings.database(), "verify")) {
            return Verifier.verify(c, table, g, tables);
        } catch (SQLException e) {
            throw databaseError("verify", e);
        }
    }

    /** Writes a new Baton-layout revision on the current head(s); with {@code merge}, on every head. */
    public Path newRevision(String message, boolean merge) {
        RevisionLoader.Loaded existing = Files.isDirectory(settings.dir())
                ? RevisionLoader.load(settings.dir(), settings.layout(), null, placeholders())
                : new RevisionLoader.Loaded(Layout.BATON, List.of());
        List<Revision> heads = new RevisionGraph(existing.revisions()).heads();
        if (heads.size() > 1 && !merge) {
            throw BatonException.usage("the revision graph has " + heads.size() + " heads ("
                    + heads.stream().map(Revision::id).toList() + "); a new revision needs one parent:"
                    + " join them first with `baton migrate new --merge \"merge heads\"`");
        }
        if (merge && heads.size() < 2) {
            throw BatonException.usage("--merge joins several heads, but the graph has " + heads.size());
        }
        return RevisionWriter.write(settings.dir(), existing.layout(), message, heads.stream().map(Revision::id).toList());
    }

    // ---- running under the lock

    /** Plans a verb once the lock is held and the applied revisions are read. */
    private interface PlanUnderLock {
        List<PlannedStep> plan(Connection c, Map<String, AppliedRevision> applied) throws SQLException;
    }

    private RunReport locked(String verb, PlanUnderLock planner, Direction direction, boolean singleTransaction) {
        long started = System.nanoTime();
        try (Connection lockSession = Postgres.connect(settings.database(), "lock");
             Connection work = Postgres.connect(settings.database(), verb);
             MigrationLock lock = MigrationLock.acquire(lockSession, MigrationLock.keyFor(settings.table()),
                     settings.lockTimeout(), listener::note);
             RunLog log = RunLog.open(settings.logDir(), verb)) {
            log.line("baton migrate " + verb + " on " + settings.database().display() + ", folder " + settings.dir()
                    + ", history table " + table.name());
            if (!table.exists(work)) {
                table.create(work);
                log.line("created history table " + table.name());
            } else {
                table.upgradeSchema(work);
            }
            List<HistoryTable.Interrupted> interrupted = table.interrupted(work);
            if (!interrupted.isEmpty()) {
                throw new BatonException(ExitCode.STATE, "nothing runs while a revision is interrupted: "
                        + String.join("; ", interrupted.stream().map(HistoryTable.Interrupted::toString).toList())
                        + ". It ran outside a transaction, so part of it may be applied (its log says how far it got)."
                        + " Look at the database, undo or finish what it did, then run baton migrate repair --reason '...'"
                        + " (add --applied if you finished it by hand); see docs/migrate.md");
            }
            Map<String, AppliedRevision> applied = table.applied(work);
            if (applied.isEmpty() && direction == Direction.UPGRADE) {
                List<String> others = ForeignHistory.find(work);
                if (!others.isEmpty()) {
                    throw new BatonException(ExitCode.STATE, "this database was migrated by " + String.join(" and ", others)
                            + ", and Baton has recorded nothing yet: running every file again would fail or change data"
                            + " twice. Take it over with baton migrate adopt (it records what that tool applied, checking"
                            + " the files; nothing runs), then upgrade; see docs/migrate.md");
                }
            }
            List<String> before = Planner.revisionIds(Planner.appliedHeads(applied));
            List<PlannedStep> plan = planner.plan(work, applied);
            for (PlannedStep s : plan) {
                if (!s.revision().transactional() && s.direction() != Direction.STAMP && s.direction() != Direction.UNSTAMP) {
                    listener.note("revision " + s.revision().id() + " runs outside Baton's transaction, as written (it"
                            + " is marked non-transactional, or manages its own transaction, or has a statement that"
                            + " cannot run in one): if it fails, its statements before the failing one stay applied");
                }
            }
            log.line(plan.isEmpty() ? "nothing to do" : plan.size() + " revision(s) to " + verb);
            ServingQueries serving = direction == Direction.UPGRADE && !plan.isEmpty() ? servingQueries(work) : ServingQueries.none();
            if (!serving.isEmpty()) {
                log.line(serving.queries().size() + " serving queries prepare now; each must still prepare before a revision commits");
            }
            Runner runner = new Runner(work, table, log, listener, appliedBy(), settings.statementLocks(), lockSession);
            running = runner;
            if (cancelled) {
                runner.cancel();
            }
            List<RunReport.Step> steps;
            try {
                steps = runner.serving(serving).run(plan, singleTransaction);
            } finally {
                running = null;
            }
            List<String> after = Planner.revisionIds(Planner.appliedHeads(table.applied(work)));
            log.line("now at " + (after.isEmpty() ? "base" : String.join(", ", after)));
            return new RunReport(direction, steps, before, after, Duration.ofNanos(System.nanoTime() - started), log.file());
        } catch (SQLException e) {
            throw databaseError(verb, e);
        }
    }

    // ---- helpers

    /** How each linear layout names its migrations, for a file that does not follow it. */
    private static final Map<Layout, String[]> NAMES = Map.of(
            Layout.FLYWAY, new String[] {"Flyway", "V<version>__<description>.sql, U... for an undo, R__<description>.sql;"
                    + " the prefix is case-sensitive"},
            Layout.GOLANG_MIGRATE, new String[] {"golang-migrate", "<version>_<name>.up.sql and .down.sql"},
            Layout.SQLX, new String[] {"sqlx", "<version>_<description>.sql, or .up.sql and .down.sql"});

    private RevisionGraph graph() {
        if (graph == null) {
            loaded = RevisionLoader.load(settings.dir(), settings.layout(), settings.javaMigrations(), placeholders());
            graph = new RevisionGraph(loaded.revisions().stream().map(this::phase).toList());
            for (Path f : loaded.ignored()) {
                String[] tool = NAMES.get(loaded.layout());
                listener.note(f + " is not named as " + tool[0] + " names a migration (" + tool[1] + "), so it is not run,"
                        + " as " + tool[0] + " would not run it; rename it if it is one");
            }
        }
        return graph;
    }

    /** Marks a revision that {@code migrations.contract} names (its id, or a glob over its id or file name) as contract. */
    private Revision phase(Revision r) {
        if (r.contract() || settings.contract().isEmpty()) {
            return r;
        }
        String file = Path.of(r.source()).getFileName() == null ? r.source() : Path.of(r.source()).getFileName().toString();
        for (String pattern : settings.contract()) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            if (pattern.equals(r.id()) || glob.matches(Path.of(r.id())) || glob.matches(Path.of(file))) {
                return r.asContract();
            }
        }
        return r;
    }

    /**
     * Flyway's own placeholders where Baton knows their values (flyway:filename is each file's),
     * under the user's: flyway:defaultSchema is public unless the user gives it.
     */
    private Map<String, String> placeholders() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("flyway:defaultSchema", "public");
        values.put("flyway:table", settings.table());
        values.put("flyway:timestamp", LocalDateTime.now().withNano(0).toString().replace('T', ' '));
        values.put("flyway:workingDirectory", Path.of("").toAbsolutePath().toString());
        if (settings.database() != null) {
            String url = settings.database().jdbcUrl();
            String path = url.replaceFirst("^jdbc:postgresql://[^/]*/?", "");
            int q = path.indexOf('?');
            values.put("flyway:database", q < 0 ? path : path.substring(0, q));
            String user = settings.database().user();
            Matcher inQuery = Pattern.compile("[?&]user=([^&]*)").matcher(url);
            if (user == null && inQuery.find()) {
                user = URLDecoder.decode(inQuery.group(1), StandardCharsets.UTF_8);
            }
            if (user != null) {
                values.put("flyway:user", user);
            }
        }
        values.putAll(settings.placeholders());
        return values;
    }

    /** The serving version's queries that prepare on the schema as it is now (none when not configured). */
    private ServingQueries servingQueries(Connection work) throws SQLException {
        String source = settings.servingQueries();
        if (source == null || source.isBlank()) {
            return ServingQueries.none();
        }
        ServingQueries all = source.equals("pg_stat_statements") ? ServingQueries.fromStatStatements(work, listener::note)
                : ServingQueries.fromFile(Path.of(source));
        return all.baseline(work);
    }

    private Map<String, AppliedRevision> readApplied() {
        try (Connection c = Postgres.connect(settings.database(), "read")) {
            return table.applied(c);
        } catch (SQLException e) {
            throw databaseError("read the history table", e);
        }
    }

    private static String appliedBy() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                host = "unknown-host";
            }
        }
        return System.getProperty("user.name") + "@" + host;
    }

    private BatonException databaseError(String what, SQLException e) {
        return new BatonException(ExitCode.FAILED, "could not " + what + " on " + settings.database().display()
                + ": " + e.getMessage(), e);
    }
}
