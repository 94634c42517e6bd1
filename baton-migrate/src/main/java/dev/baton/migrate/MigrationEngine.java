package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.internal.HistoryTable;
import dev.baton.migrate.internal.MigrationLock;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.Postgres;
import dev.baton.migrate.internal.RevisionGraph;
import dev.baton.migrate.internal.RevisionLoader;
import dev.baton.migrate.internal.RevisionWriter;
import dev.baton.migrate.internal.RunLog;
import dev.baton.migrate.internal.Runner;
import dev.baton.migrate.internal.ScriptRenderer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private RevisionGraph graph;

    public MigrationEngine(MigrateSettings settings, MigrationListener listener) {
        this.settings = settings;
        this.listener = listener;
        this.table = new HistoryTable(settings.table());
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
            return appliedHeads(table.applied(c));
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
        return out;
    }

    public Status status() {
        RevisionGraph g = graph();
        Map<String, AppliedRevision> applied = readApplied();
        Set<String> wanted = g.closure(g.heads().stream().map(Revision::id).toList());
        wanted.removeAll(applied.keySet());
        return new Status(ids(appliedHeads(applied)), g.heads().stream().map(Revision::id).toList(), g.inOrder(wanted));
    }

    /**
     * Applies revisions up to {@code target}: {@code head} (the unique head), {@code heads} (every
     * branch), a revision id or prefix, or {@code +N}.
     */
    public RunReport upgrade(String target, boolean singleTransaction, boolean allowChanged) {
        RevisionGraph g = graph();
        if (!target.startsWith("+")) {
            targetIds(g, target); // fail on bad targets before connecting
        }
        return locked("upgrade", (c, applied) -> {
            checkApplied(g, applied, allowChanged);
            List<PlannedStep> plan = planUpgrade(g, applied, target);
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
    public RunReport downgrade(String target) {
        RevisionGraph g = graph();
        if (!target.startsWith("-") && !target.equals("base")) {
            g.resolve(target);
        }
        return locked("downgrade", (c, applied) -> {
            checkApplied(g, applied, true);
            return planDowngrade(g, applied, target);
        }, Direction.DOWNGRADE, false);
    }

    /** Records the database as being at {@code target} without running anything. */
    public RunReport stamp(String target) {
        RevisionGraph g = graph();
        Set<String> wanted = target.equals("base") ? Set.of() : g.closure(targetIds(g, target));
        return locked("stamp", (c, applied) -> {
            List<PlannedStep> plan = new ArrayList<>();
            List<Revision> remove = g.inOrder(minus(applied.keySet(), wanted));
            for (int i = remove.size() - 1; i >= 0; i--) {
                plan.add(new PlannedStep(remove.get(i), Direction.UNSTAMP, null, List.of()));
            }
            for (Revision r : g.inOrder(minus(wanted, applied.keySet()))) {
                plan.add(new PlannedStep(r, Direction.STAMP, null, List.of()));
            }
            return plan;
        }, Direction.STAMP, false);
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
        List<PlannedStep> plan = planUpgrade(g, applied, target);
        return ScriptRenderer.render(table, plan, tableExists, appliedBy());
    }

    /** Checks applied revisions against the folder and that the named tables exist. */
    public VerifyReport verify(List<String> tables) {
        RevisionGraph g = graph();
        List<String> problems = new ArrayList<>();
        try (Connection c = Postgres.connect(settings.database(), "verify")) {
            Map<String, AppliedRevision> applied = table.applied(c);
            for (AppliedRevision a : applied.values()) {
                Revision r = g.contains(a.revision()) ? g.get(a.revision()) : null;
                if (r == null) {
                    problems.add("revision " + a.revision() + " is applied but not in the migrations folder");
                } else if (a.how() == Direction.UPGRADE && changed(r, a)) {
                    problems.add("revision " + a.revision() + " (" + r.source() + ") changed since it was applied on "
                            + a.appliedAt() + " (checksum " + shortSum(a.checksum()) + " then, " + shortSum(r.checksum()) + " now)");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                for (String t : tables) {
                    ps.setString(1, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            problems.add("table " + t + " does not exist");
                        }
                    }
                }
            }
            return new VerifyReport(ids(appliedHeads(applied)), applied.size(), List.copyOf(tables), problems);
        } catch (SQLException e) {
            throw databaseError("verify", e);
        }
    }

    /** Writes a new Baton-layout revision on the current head(s); with {@code merge}, on every head. */
    public Path newRevision(String message, boolean merge) {
        RevisionLoader.Loaded existing = java.nio.file.Files.isDirectory(settings.dir())
                ? RevisionLoader.load(settings.dir(), settings.layout(), null)
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

    // ---- planning

    private List<String> targetIds(RevisionGraph g, String target) {
        return switch (target) {
            case "head" -> List.of(g.requireSingleHead().id());
            case "heads" -> g.heads().stream().map(Revision::id).toList();
            default -> List.of(g.resolve(target).id());
        };
    }

    private List<PlannedStep> planUpgrade(RevisionGraph g, Map<String, AppliedRevision> applied, String target) {
        List<Revision> pending;
        if (target.startsWith("+")) {
            int n = count(target);
            Set<String> wanted = minus(g.closure(g.heads().stream().map(Revision::id).toList()), applied.keySet());
            List<Revision> all = g.inOrder(wanted);
            if (all.size() < n) {
                throw BatonException.usage("upgrade " + target + " asks for " + n + " revisions, but only "
                        + all.size() + " are pending");
            }
            pending = all.subList(0, n);
        } else {
            pending = g.inOrder(minus(g.closure(targetIds(g, target)), applied.keySet()));
        }
        List<PlannedStep> plan = new ArrayList<>();
        for (Revision r : pending) {
            plan.add(PlannedStep.of(r, Direction.UPGRADE));
        }
        return plan;
    }

    private List<PlannedStep> planDowngrade(RevisionGraph g, Map<String, AppliedRevision> applied, String target) {
        List<Revision> appliedInOrder = g.inOrder(applied.keySet());
        List<Revision> remove;
        if (target.equals("base")) {
            remove = appliedInOrder;
        } else if (target.startsWith("-")) {
            int n = count(target);
            if (appliedInOrder.size() < n) {
                throw BatonException.usage("downgrade " + target + " asks for " + n + " revisions, but only "
                        + appliedInOrder.size() + " are applied");
            }
            remove = appliedInOrder.subList(appliedInOrder.size() - n, appliedInOrder.size());
        } else {
            Revision keep = g.resolve(target);
            if (!applied.containsKey(keep.id())) {
                throw BatonException.usage("revision " + keep.id() + " is not applied, so there is nothing to"
                        + " downgrade to; `baton migrate current` shows the applied heads");
            }
            Set<String> descendants = g.descendants(keep.id());
            remove = appliedInOrder.stream().filter(r -> descendants.contains(r.id())).toList();
        }
        List<PlannedStep> plan = new ArrayList<>();
        for (int i = remove.size() - 1; i >= 0; i--) {
            plan.add(PlannedStep.of(remove.get(i), Direction.DOWNGRADE));
        }
        return plan;
    }

    private static int count(String relative) {
        try {
            int n = Integer.parseInt(relative.substring(1));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw BatonException.usage("relative target " + relative + " must be " + relative.charAt(0)
                + "N with N a positive whole number");
    }

    /** Applied revisions must be known, and unchanged unless allowed. */
    private void checkApplied(RevisionGraph g, Map<String, AppliedRevision> applied, boolean allowChanged) {
        List<String> unknown = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (AppliedRevision a : applied.values()) {
            if (!g.contains(a.revision())) {
                unknown.add(a.revision());
            } else if (!allowChanged && a.how() == Direction.UPGRADE && changed(g.get(a.revision()), a)) {
                changed.add(a.revision() + " (" + g.get(a.revision()).source() + ", applied " + a.appliedAt() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw BatonException.state("the database has applied revisions that are not in " + settings.dir() + ": "
                    + unknown + "; is this an older checkout of the migrations? (`baton migrate current` lists them)");
        }
        if (!changed.isEmpty()) {
            throw BatonException.state("applied revision(s) changed since they ran: " + String.join(", ", changed)
                    + "; restore the files, or pass --allow-changed if the edit is harmless (`baton migrate verify` shows them)");
        }
    }

    private static boolean changed(Revision r, AppliedRevision a) {
        return r.checksum() != null && a.checksum() != null && !r.checksum().equals(a.checksum());
    }

    // ---- running under the lock

    private interface Planner {
        List<PlannedStep> plan(Connection c, Map<String, AppliedRevision> applied) throws SQLException;
    }

    private RunReport locked(String verb, Planner planner, Direction direction, boolean singleTransaction) {
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
            }
            Map<String, AppliedRevision> applied = table.applied(work);
            List<String> before = ids(appliedHeads(applied));
            List<PlannedStep> plan = planner.plan(work, applied);
            for (PlannedStep s : plan) {
                if (!s.revision().transactional() && s.direction() != Direction.STAMP && s.direction() != Direction.UNSTAMP) {
                    listener.note("revision " + s.revision().id() + " runs outside a transaction (it is marked"
                            + " non-transactional): if it fails, its earlier statements stay applied");
                }
            }
            log.line(plan.isEmpty() ? "nothing to do" : plan.size() + " revision(s) to " + verb);
            List<RunReport.Step> steps = new Runner(work, table, log, listener, appliedBy(), settings.statementLocks())
                    .run(plan, singleTransaction);
            List<String> after = ids(appliedHeads(table.applied(work)));
            log.line("now at " + (after.isEmpty() ? "base" : String.join(", ", after)));
            return new RunReport(direction, steps, before, after, Duration.ofNanos(System.nanoTime() - started), log.file());
        } catch (SQLException e) {
            throw databaseError(verb, e);
        }
    }

    // ---- helpers

    private RevisionGraph graph() {
        if (graph == null) {
            loaded = RevisionLoader.load(settings.dir(), settings.layout(), settings.javaMigrations());
            graph = new RevisionGraph(loaded.revisions());
        }
        return graph;
    }

    private Map<String, AppliedRevision> readApplied() {
        try (Connection c = Postgres.connect(settings.database(), "read")) {
            return table.applied(c);
        } catch (SQLException e) {
            throw databaseError("read the history table", e);
        }
    }

    private static List<AppliedRevision> appliedHeads(Map<String, AppliedRevision> applied) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        applied.values().forEach(a -> parents.put(a.revision(), a.parents()));
        List<AppliedRevision> out = new ArrayList<>();
        for (String id : RevisionGraph.headsOf(parents)) {
            out.add(applied.get(id));
        }
        return out;
    }

    private static List<String> ids(List<AppliedRevision> revisions) {
        return revisions.stream().map(AppliedRevision::revision).toList();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String shortSum(String sum) {
        return sum == null ? "none" : sum.substring(0, Math.min(12, sum.length()));
    }

    private static String appliedBy() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = java.nio.file.Files.readString(Path.of("/etc/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
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
