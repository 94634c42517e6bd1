package dev.baton.migrate.internal;

import dev.baton.migrate.Change;
import dev.baton.migrate.MigrationFailedException;
import dev.baton.migrate.MigrationListener;
import dev.baton.migrate.RunReport;
import dev.baton.migrate.StatementLocks;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Runs a plan on one session: each revision in its own transaction with its history row. */
public final class Runner {
    private final Connection connection;
    private final HistoryTable table;
    private final RunLog log;
    private final MigrationListener listener;
    private final String appliedBy;
    private final StatementLocks locks;
    private final Connection observer;
    private LockWatch watch;
    private volatile Statement current;
    private volatile boolean cancelled;
    private ServingQueries serving = ServingQueries.none();

    /** @param observer a second session to watch from whom a statement waits for (null: none) */
    public Runner(Connection connection, HistoryTable table, RunLog log, MigrationListener listener, String appliedBy,
                  StatementLocks locks, Connection observer) {
        this.locks = locks;
        this.observer = observer;
        this.connection = connection;
        this.table = table;
        this.log = log;
        this.listener = listener;
        this.appliedBy = appliedBy;
    }

    /** The serving version's queries that prepare now: each must still prepare before a revision commits. */
    public Runner serving(ServingQueries baseline) {
        this.serving = baseline;
        return this;
    }

    /**
     * Ctrl-C: PostgreSQL's cancel request for the statement that runs now (its revision then fails
     * as any failing revision does: rolled back, or recorded as interrupted outside a transaction),
     * and no further statement or revision starts, so the run ends as a failure that says what it
     * left, instead of a process that dies silently and leaves the server to find out.
     */
    public void cancel() {
        cancelled = true;
        Statement s = current;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                // the run stops at the next statement anyway
            }
        }
    }

    private static SQLException cancelledError() {
        return new SQLException("cancelled (Ctrl-C or SIGTERM)", "57014");
    }

    /** Runs the plan; on failure throws {@link MigrationFailedException} after rolling back the failing revision. */
    public List<RunReport.Step> run(List<PlannedStep> plan, boolean singleTransaction) throws SQLException {
        List<RunReport.Step> done = new ArrayList<>();
        connection.setAutoCommit(!singleTransaction);
        try (Statement statement = connection.createStatement(); LockWatch w = LockWatch.start(observer, connection)) {
            watch = w;
            current = statement;
            statement.setEscapeProcessing(false);
            if (!locks.timeout().isZero()) {
                statement.execute("SET lock_timeout = '" + locks.timeout().toMillis() + "ms'");
            }
            for (PlannedStep step : plan) {
                if (cancelled) {
                    if (singleTransaction) {
                        rollbackQuietly(true);
                    }
                    String msg = "cancelled (Ctrl-C or SIGTERM) before revision " + step.revision().id() + ": it and the"
                            + " revisions after it did not run" + (singleTransaction ? "; the whole run was rolled back"
                            + " (--single-transaction)" : done.isEmpty() ? "" : "; the " + done.size()
                            + " revision(s) before it in this run stay applied") + "\nfull log: " + log.file();
                    log.line(msg);
                    throw new MigrationFailedException(msg, step.revision().id(), null, "57014", log.file(), null);
                }
                listener.revisionStarted(step.revision(), step.direction());
                log.line(step.direction().dbName() + " " + step.revision().id() + " (" + step.revision().source() + ")"
                        + (step.revision().transactional() ? "" : " outside a transaction"));
                boolean ownTransaction = !singleTransaction && step.revision().transactional();
                if (!singleTransaction && step.runsOutsideTransaction()) {
                    // recorded before it runs: if it is cut off half-way, the next run knows, and stops
                    statement.execute(HistoryTable.MARK_START);
                    statement.execute(table.insert(step.startedRow(appliedBy)));
                }
                long start = System.nanoTime();
                for (int retry = 1; ; retry++) {
                    watch.reset();
                    if (ownTransaction) {
                        connection.setAutoCommit(false);
                    }
                    try {
                        boolean batched = ownTransaction && step.change() instanceof Change.Sql && executeBatched(step, statement);
                        if (!batched) {
                            statement.execute(HistoryTable.MARK_START);
                            execute(step, statement);
                            statement.execute(table.insert(step.row(appliedBy)));
                        }
                        if (ownTransaction) {
                            checkServing(step);
                            connection.commit();
                            connection.setAutoCommit(true);
                        }
                        break;
                    } catch (StepFailure | SQLException e) {
                        rollbackQuietly(singleTransaction || ownTransaction);
                        StepFailure f = e instanceof StepFailure sf ? sf : new StepFailure(step.revision().source(), null, e);
                        boolean lockTimedOut = lockTimedOut(f);
                        // only a revision in its own, rolled-back transaction can simply run again
                        if (lockTimedOut && ownTransaction && retry <= locks.retries()) {
                            Duration pause = locks.pause(retry);
                            String note = "revision " + step.revision().id() + " waited over " + locks.timeout().toMillis()
                                    + " ms for a table lock at " + f.location + " (" + heldBy() + "); rolled back,"
                                    + " trying again in " + pause.toMillis() + " ms (retry " + retry + " of " + locks.retries() + ")";
                            log.line("  " + note);
                            listener.note(note);
                            LockSupport.parkNanos(pause.toNanos());
                            if (!Thread.currentThread().isInterrupted() && !cancelled) {
                                start = System.nanoTime();
                                continue;
                            }
                        }
                        throw failure(step, f, done, singleTransaction, lockTimedOut ? retry - 1 : -1);
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                log.line("  done in " + took.toMillis() + " ms");
                listener.revisionFinished(step.revision(), step.direction(), took);
                done.add(new RunReport.Step(step.revision(), took));
            }
            if (singleTransaction) {
                try {
                    connection.commit();
                } catch (SQLException e) {
                    rollbackQuietly(true);
                    throw new MigrationFailedException("commit of the single transaction failed: " + e.getMessage()
                            + "\nnothing of this run was applied\nfull log: " + log.file(), null, null,
                            e.getSQLState(), log.file(), e);
                }
            }
        } finally {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        }
        return done;
    }

    /** A failure with the location of the statement that caused it. */
    private static final class StepFailure extends Exception {
        final String location;
        final String statement;

        StepFailure(String location, String statement, Exception cause) {
            super(cause);
            this.location = location;
            this.statement = statement;
        }
    }

    private void execute(PlannedStep step, Statement statement) throws StepFailure, SQLException {
        if (step.change() == null) {
            return; // stamp: record only
        }
        if (step.change() instanceof Change.Java java) {
            try {
                if (java.up()) {
                    java.migration().up(connection);
                } else {
                    java.migration().down(connection);
                }
            } catch (Exception e) {
                throw new StepFailure(step.revision().source(), null, e);
            }
            return;
        }
        Change.Sql sql = (Change.Sql) step.change();
        // outside a transaction each statement commits on its own: record how far it got, so that
        // a run cut off half-way names the last statement done (HistoryTable.interrupted)
        boolean progress = step.runsOutsideTransaction() && connection.getAutoCommit();
        List<SqlStatement> all = step.statements();
        for (int i = 0; i < all.size(); i++) {
            SqlStatement s = all.get(i);
            if (cancelled) {
                throw new StepFailure(sql.file() + ":" + s.line(), s.sql(), cancelledError());
            }
            log.line("  " + sql.file().getFileName() + ":" + s.line() + ": " + firstLine(s.sql()));
            // CREATE INDEX CONCURRENTLY and the like wait for older transactions without blocking the
            // app's queries, and cannot be retried: they wait without the statement lock timeout
            boolean unbounded = !locks.timeout().isZero() && PlannedStep.cannotRunInTransaction(s);
            if (unbounded) {
                statement.execute("SET lock_timeout = 0");
            }
            try {
                executeOne(statement, sql, s);
            } finally {
                if (unbounded) {
                    statement.execute("SET lock_timeout = '" + locks.timeout().toMillis() + "ms'");
                }
            }
            if (progress && i < all.size() - 1) {
                statement.execute(table.insert(step.progressRow(appliedBy, i + 1, all.size(),
                        sql.file().getFileName() + ":" + s.line())));
            }
        }
    }

    /**
     * Runs a transactional SQL revision with as few round trips as possible: consecutive statements
     * that return no rows, and the history row, go to the server as one pipelined batch. Returns
     * false, with the transaction rolled back, when a batch failed in a way that cannot be tied to a
     * statement; the caller then runs the revision statement by statement to find it.
     */
    private boolean executeBatched(PlannedStep step, Statement statement) throws StepFailure, SQLException {
        Change.Sql sql = (Change.Sql) step.change();
        List<SqlStatement> batch = new ArrayList<>();
        statement.addBatch(HistoryTable.MARK_START);
        batch.add(new SqlStatement(HistoryTable.MARK_START, 1)); // batch entries and this list stay aligned
        for (SqlStatement s : step.statements()) {
            log.line("  " + sql.file().getFileName() + ":" + s.line() + ": " + firstLine(s.sql()));
            if (batchable(s)) {
                statement.addBatch(s.sql());
                batch.add(s);
            } else {
                if (!flush(statement, batch, sql)) {
                    return false;
                }
                executeOne(statement, sql, s);
            }
        }
        statement.addBatch(table.insert(step.row(appliedBy)));
        return flush(statement, batch, sql);
    }

    private boolean flush(Statement statement, List<SqlStatement> batch, Change.Sql sql) throws StepFailure, SQLException {
        try {
            statement.executeBatch();
            logNotices(statement);
            batch.clear();
            return true;
        } catch (BatchUpdateException e) {
            statement.clearBatch();
            SQLException server = e.getNextException() != null ? e.getNextException() : e;
            Matcher m = BATCH_ENTRY.matcher(String.valueOf(e.getMessage()));
            if (m.find() && Integer.parseInt(m.group(1)) < batch.size()) {
                SqlStatement s = batch.get(Integer.parseInt(m.group(1)));
                throw new StepFailure(sql.file() + ":" + errorLine(s, server), s.sql(), server);
            }
            connection.rollback();
            log.line("  batch failed (" + server.getMessage() + "); running the revision again statement by statement");
            return false;
        }
    }

    private static final Pattern BATCH_ENTRY = Pattern.compile("Batch entry (\\d+) ");
    private static final Set<String> NO_ROWS = Set.of("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE",
            "COMMENT", "GRANT", "REVOKE", "TRUNCATE", "DO");

    /** Statements that never return rows can be pipelined; anything else runs on its own. */
    static boolean batchable(SqlStatement s) {
        return NO_ROWS.contains(s.firstWord()) && !s.sql().toUpperCase(Locale.ROOT).contains("RETURNING");
    }

    private void executeOne(Statement statement, Change.Sql sql, SqlStatement s) throws StepFailure {
        try {
            statement.execute(s.sql());
            logNotices(statement);
        } catch (SQLException e) {
            throw new StepFailure(sql.file() + ":" + errorLine(s, e), s.sql(), e);
        }
    }

    private void logNotices(Statement statement) throws SQLException {
        for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
            log.line("  notice: " + w.getMessage());
        }
        statement.clearWarnings();
    }

    private static int errorLine(SqlStatement s, SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            return s.line() + linesBefore(s.sql(), p.getServerErrorMessage().getPosition());
        }
        return s.line();
    }

    /** Before COMMIT: a serving query that no longer prepares fails the revision (rolled back by the caller). */
    private void checkServing(PlannedStep step) throws StepFailure, SQLException {
        if (serving.isEmpty()) {
            return;
        }
        List<ServingQueries.Broken> broken = serving.broken(connection);
        if (!broken.isEmpty()) {
            ServingQueries.Broken b = broken.get(0);
            log.line("  " + broken.size() + " serving quer" + (broken.size() == 1 ? "y" : "ies") + " would fail after this revision");
            throw new StepFailure(step.revision().source(), b.query(), new SQLException("the serving version's query no longer"
                    + " works on the schema this revision leaves (it would fail the moment the revision commits; "
                    + broken.size() + " such quer" + (broken.size() == 1 ? "y" : "ies") + "): " + b.error()));
        }
    }

    /** Who held the lock the statement waited for, as the watch saw it. */
    private String heldBy() {
        List<String> b = watch.blockers();
        return b.isEmpty() ? "something else holds it" : "held by " + String.join("; ", b);
    }

    /** Whether the statement gave up waiting for a lock (SQLSTATE 55P03, lock_not_available). */
    private static boolean lockTimedOut(StepFailure f) {
        for (Throwable t = f.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException e && "55P03".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** @param retried how many retries a lock timeout had before this failure, or -1 for another failure */
    private MigrationFailedException failure(PlannedStep step, StepFailure f, List<RunReport.Step> done,
                                             boolean singleTransaction, int retried) {
        Throwable cause = f.getCause();
        String sqlState = cause instanceof SQLException e ? e.getSQLState() : null;
        StringBuilder msg = new StringBuilder();
        msg.append(step.direction().dbName()).append(" of revision ").append(step.revision().id())
                .append(" failed at ").append(f.location).append(":\n  ").append(describe(cause));
        if (f.statement != null) {
            msg.append("\n  statement: ").append(abbreviate(f.statement));
        }
        if (retried >= 0) {
            msg.append("\na table lock was not granted within ").append(locks.timeout().toMillis())
                    .append(" ms (statement_lock_timeout)").append(retried > 0 ? " in " + (retried + 1) + " tries" : "")
                    .append(": ").append(heldBy()).append(". Waiting longer would queue the app's queries on that table")
                    .append(" behind this one. Find the holder with SELECT pid, application_name, xact_start, state, query")
                    .append(" FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute', then run the upgrade again");
        }
        if (singleTransaction) {
            msg.append("\nrolled back the whole run (--single-transaction): no revision of this run was applied");
        } else if (step.revision().transactional()) {
            msg.append("\nrevision ").append(step.revision().id()).append(" was rolled back");
            if (!done.isEmpty()) {
                msg.append("; the ").append(done.size()).append(" revision(s) before it in this run stay applied");
            }
        } else {
            msg.append("\nrevision ").append(step.revision().id()).append(" ran outside a transaction: the statements")
                    .append(" before the failing one stay applied, and it is recorded as interrupted, so nothing more runs")
                    .append(" until you look: undo or finish what it did, then baton migrate repair --reason '...'")
                    .append(" (add --applied if you finished it by hand)");
        }
        msg.append("\nfull log: ").append(log.file());
        log.line("FAILED: " + msg);
        return new MigrationFailedException(msg.toString(), step.revision().id(), f.location, sqlState, log.file(), cause);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            StringBuilder s = new StringBuilder(m.getSeverity() + ": " + m.getMessage() + " (SQLSTATE " + m.getSQLState() + ")");
            if (m.getDetail() != null) {
                s.append("\n  detail: ").append(m.getDetail());
            }
            if (m.getHint() != null) {
                s.append("\n  hint: ").append(m.getHint());
            }
            return s.toString();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void rollbackQuietly(boolean inTransaction) {
        if (!inTransaction) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.line("rollback failed: " + e.getMessage());
        }
    }

    static int linesBefore(String sql, int position) {
        int n = 0;
        for (int i = 0; i < Math.min(position - 1, sql.length()); i++) {
            if (sql.charAt(i) == '\n') {
                n++;
            }
        }
        return Math.max(0, n);
    }

    private static String firstLine(String sql) {
        int nl = sql.indexOf('\n');
        return nl < 0 ? sql : sql.substring(0, nl) + " ...";
    }

    private static String abbreviate(String sql) {
        String one = sql.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + " ..." : one;
    }
}
