package dev.baton.migrate.internal.lint;

import dev.baton.migrate.Change;
import dev.baton.migrate.Revision;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.ServingQueries;
import dev.baton.migrate.internal.SqlStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs pending revisions on the shadow, statement by statement, and reads after each one from
 * the server's catalogs what it changed that the serving version can see (relations, columns,
 * constraints, indexes, enum labels: by oid, so a rename is not taken for a drop), whether it
 * rewrote an existing table (its file node changed) and which locks its transaction holds
 * ({@code pg_locks} of its own backend). Objects the revision itself created are exempt.
 */
final class ShadowObserver {
    private final Connection c;
    private final List<Finding> findings = new ArrayList<>();
    /** The schema before the first pending revision: what the serving version uses. */
    private Catalog base;
    private final List<String> serving;
    private final Set<String> reported = new HashSet<>();

    /** @param serving the serving version's queries that prepare on the target now (may be empty) */
    ShadowObserver(Connection c, List<String> serving) {
        this.c = c;
        this.serving = List.copyOf(serving);
    }

    /** A finding before suppressions: the rule, where, and the detail the rule's text follows. */
    record Finding(LintRule rule, Revision revision, String file, int line, String statement, String detail) {}


    List<Finding> findings() {
        return findings;
    }

    /** Runs one pending revision as the engine would; false when a statement failed (the revisions after it are not run). */
    boolean run(PlannedStep step) throws SQLException {
        Revision r = step.revision();
        boolean tx = r.transactional();
        c.setAutoCommit(!tx);
        if (base == null) {
            base = Catalog.read(c);
        }
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            if (step.change() instanceof Change.Java java) {
                Catalog before = Catalog.read(c);
                try {
                    java.migration().up(c);
                } catch (Exception e) {
                    return failed(r, null, 0, "(Java migration)", e);
                }
                compare(r, null, 0, "(Java migration " + r.source() + ")", base, before, Catalog.read(c), false);
            } else if (step.change() instanceof Change.Sql sql) {
                String file = sql.file().toString();
                boolean exclusiveHeld = false;
                int depth = 0; // inside the file's own BEGIN ... COMMIT
                for (SqlStatement s : step.statements()) {
                    String first = s.firstWord();
                    if (first.equals("BEGIN") || first.equals("START")) {
                        depth++;
                    } else if (first.equals("COMMIT") || first.equals("END") || first.equals("ROLLBACK")) {
                        depth = 0;
                    }
                    if (depth > 0 && s.sql().toUpperCase(Locale.ROOT).matches("(?s).*\\bCONCURRENTLY\\b.*")) {
                        findings.add(new Finding(LintRule.CONCURRENTLY_IN_TRANSACTION, r, file, s.line(), s.sql(), ""));
                    }
                    Catalog before = Catalog.read(c);
                    try {
                        st.execute(s.sql());
                    } catch (SQLException e) {
                        return failed(r, file, s.line(), s.sql(), e);
                    }
                    Catalog after = Catalog.read(c);
                    boolean slow = compare(r, file, s.line(), s.sql(), base, before, after, exclusiveHeld);
                    if (exclusiveHeld && (slow || scansOrWrites(s))) {
                        findings.add(new Finding(LintRule.EXCLUSIVE_LOCK_THEN_SLOW_WORK, r, file, s.line(), s.sql(), ""));
                    }
                    if (tx || depth > 0) {
                        exclusiveHeld |= !exclusiveLocks(base).isEmpty();
                    }
                }
                if (!tx) {
                    rerun(step, file, st);
                }
            }
            if (tx) {
                c.commit();
            }
        } catch (SQLException e) {
            if (tx) {
                c.rollback();
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        checkServing(step, base); // in autocommit: a query that fails must not abort the others' transaction
        return true;
    }

    /**
     * After the revision: the serving queries must still prepare (this covers revisions outside a
     * transaction, which the runtime check before COMMIT cannot hold back), and one that reads
     * every column of a table whose columns changed is reported.
     */
    private void checkServing(PlannedStep step, Catalog base) throws SQLException {
        if (serving.isEmpty()) {
            return;
        }
        String file = step.change() instanceof Change.Sql sql ? sql.file().toString() : null;
        int line = step.statements().isEmpty() ? 0 : step.statements().get(0).line();
        Catalog now = Catalog.read(c);
        Set<String> changed = new TreeSet<>();
        for (Map.Entry<String, Catalog.Column> e : base.columns().entrySet()) {
            Catalog.Column after = now.columns().get(e.getKey());
            if (after == null || !after.name().equals(e.getValue().name()) || !after.type().equals(e.getValue().type())) {
                changed.add(base.relations().get(e.getValue().relid()).name());
            }
        }
        for (Catalog.Column col : now.columns().values()) {
            if (base.hasTable(col.relid()) && !base.columns().containsKey(col.relid() + ":" + col.attnum())) {
                changed.add(base.relations().get(col.relid()).name());
            }
        }
        try (Statement st = c.createStatement()) {
            for (String q : serving) {
                try {
                    st.execute("PREPARE baton_serving AS " + q);
                    st.execute("DEALLOCATE baton_serving");
                } catch (SQLException e) {
                    findings.add(new Finding(LintRule.BREAKS_SERVING_QUERY, step.revision(), file, line, q, e.getMessage()));
                    continue;
                }
                for (String table : changed) {
                    if (ServingQueries.selectsStar(q, table) && reported.add(table + "\0" + q)) {
                        findings.add(new Finding(LintRule.SELECT_STAR_ON_CHANGED_TABLE, step.revision(), file, line, q,
                                table + " changes"));
                    }
                }
            }
        }
    }

    private boolean failed(Revision r, String file, int line, String statement, Exception e) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        findings.add(new Finding(LintRule.STATEMENT_FAILS, r, file, line, statement, e.getMessage()));
        return false;
    }

    /** A revision outside a transaction may be run again after an interruption: each statement must survive that. */
    private void rerun(PlannedStep step, String file, Statement st) {
        for (SqlStatement s : step.statements()) {
            if (PlannedStep.controlsTransaction(s)) {
                continue;
            }
            try {
                st.execute(s.sql());
            } catch (SQLException e) {
                findings.add(new Finding(LintRule.NON_TRANSACTIONAL_NOT_IDEMPOTENT, step.revision(), file, s.line(), s.sql(),
                        e.getMessage()));
            }
        }
    }

    private static boolean scansOrWrites(SqlStatement s) {
        String first = s.firstWord();
        return Set.of("UPDATE", "DELETE", "INSERT", "COPY", "VACUUM", "CLUSTER", "REINDEX", "ANALYZE").contains(first)
                || (first.equals("CREATE") && s.sql().toUpperCase(Locale.ROOT).matches("(?s)CREATE\\s+(UNIQUE\\s+)?INDEX.*"));
    }

    /** Tables that existed before the revision on which this session holds ACCESS EXCLUSIVE now. */
    private List<String> exclusiveLocks(Catalog base) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, String> l : locks().entrySet()) {
            if (l.getValue().equals("AccessExclusiveLock") && base.hasTable(l.getKey())) {
                out.add(base.relations().get(l.getKey()).name());
            }
        }
        return out;
    }

    /** Relation oid to the strongest lock this backend holds on it. */
    private Map<Long, String> locks() throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid()"
                     + " AND locktype = 'relation' AND granted")) {
            while (rs.next()) {
                out.merge(rs.getLong(1), rs.getString(2), (a, b) -> LOCK_ORDER.indexOf(a) >= LOCK_ORDER.indexOf(b) ? a : b);
            }
        }
        return out;
    }

    private static final List<String> LOCK_ORDER = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /**
     * What one statement changed that the serving version sees. Returns whether it did slow work
     * on an existing table (a rewrite, an index build, a validated constraint).
     */
    private boolean compare(Revision r, String file, int line, String sql, Catalog base, Catalog before, Catalog after,
                            boolean exclusiveHeld) throws SQLException {
        boolean slow = false;
        String upper = sql.toUpperCase(Locale.ROOT);
        Map<Long, String> locks = c.getAutoCommit() ? Map.of() : locks();
        for (Catalog.Relation was : before.relations().values()) {
            if (!base.hasTable(was.oid())) {
                continue; // created by this revision: no serving version uses it
            }
            Catalog.Relation now = after.relations().get(was.oid());
            if (now == null) {
                add(LintRule.DROP_TABLE, r, file, line, sql, was.name());
            } else {
                if (!now.name().equals(was.name())) {
                    add(LintRule.RENAME_TABLE, r, file, line, sql, was.name() + " to " + now.name());
                }
                if (now.filenode() != was.filenode() && now.filenode() != 0) {
                    add(LintRule.TABLE_REWRITE, r, file, line, sql, now.name() + lockNote(locks, was.oid()));
                    slow = true;
                }
            }
        }
        for (Map.Entry<String, Catalog.Column> e : before.columns().entrySet()) {
            Catalog.Column was = e.getValue();
            if (!base.hasTable(was.relid()) || !base.columns().containsKey(e.getKey())) {
                continue;
            }
            Catalog.Column now = after.columns().get(e.getKey());
            String table = base.relations().get(was.relid()).name();
            if (now == null) {
                if (after.relations().containsKey(was.relid())) {
                    add(LintRule.DROP_COLUMN, r, file, line, sql, table + "." + was.name());
                }
                continue;
            }
            if (!now.name().equals(was.name())) {
                add(LintRule.RENAME_COLUMN, r, file, line, sql, table + "." + was.name() + " to " + now.name());
            }
            if (!now.type().equals(was.type())) {
                add(LintRule.CHANGE_COLUMN_TYPE, r, file, line, sql, table + "." + was.name() + " from " + was.type()
                        + " to " + now.type());
            }
            if (now.notNull() && !was.notNull()) {
                add(LintRule.SET_NOT_NULL, r, file, line, sql, table + "." + now.name());
            }
            if (was.hasDefault() && !now.hasDefault()) {
                add(LintRule.DROP_DEFAULT, r, file, line, sql, table + "." + now.name());
            }
        }
        for (Map.Entry<String, Catalog.Column> e : after.columns().entrySet()) {
            Catalog.Column now = e.getValue();
            if (base.hasTable(now.relid()) && !before.columns().containsKey(e.getKey()) && now.notNull() && !now.hasDefault()) {
                add(LintRule.ADD_REQUIRED_COLUMN, r, file, line, sql, base.relations().get(now.relid()).name() + "." + now.name());
            }
        }
        Set<Long> constraintIndexes = new HashSet<>();
        for (Catalog.Constraint con : after.constraints().values()) {
            if (!base.hasTable(con.relid()) || before.constraints().containsKey(con.oid())) {
                continue;
            }
            String table = base.relations().get(con.relid()).name();
            if ((con.type() == 'f' || con.type() == 'c') && con.validated()) {
                add(LintRule.CONSTRAINT_WITHOUT_NOT_VALID, r, file, line, sql, con.name() + " on " + table
                        + lockNote(locks, con.relid()));
                slow = true;
            }
            if ((con.type() == 'u' || con.type() == 'p') && !before.indexes().containsKey(con.indexOid())) {
                add(LintRule.ADD_UNIQUE_CONSTRAINT, r, file, line, sql, con.name() + " on " + table + lockNote(locks, con.relid()));
                constraintIndexes.add(con.indexOid());
                slow = true;
            }
        }
        for (Map.Entry<Long, Long> ix : after.indexes().entrySet()) {
            if (before.indexes().containsKey(ix.getKey()) || !base.hasTable(ix.getValue()) || constraintIndexes.contains(ix.getKey())) {
                continue;
            }
            slow = true;
            if (!upper.matches("(?s).*\\bCONCURRENTLY\\b.*")) {
                Catalog.Relation index = after.relations().get(ix.getKey());
                add(LintRule.INDEX_WITHOUT_CONCURRENTLY, r, file, line, sql, (index == null ? "an index" : index.name())
                        + " on " + base.relations().get(ix.getValue()).name() + lockNote(locks, ix.getValue()));
            }
        }
        for (Map.Entry<Long, String> label : before.enumLabels().entrySet()) {
            String now = after.enumLabels().get(label.getKey());
            if (now != null && !now.equals(label.getValue()) && base.enumLabels().containsKey(label.getKey())) {
                add(LintRule.RENAME_ENUM_VALUE, r, file, line, sql, label.getValue() + " to " + now);
            }
        }
        return slow;
    }

    private static String lockNote(Map<Long, String> locks, long oid) {
        String mode = locks.get(oid);
        return mode == null ? "" : " (holds " + mode + " on it until the revision commits)";
    }

    private void add(LintRule rule, Revision r, String file, int line, String sql, String detail) {
        findings.add(new Finding(rule, r, file, line, sql, detail));
    }
}
