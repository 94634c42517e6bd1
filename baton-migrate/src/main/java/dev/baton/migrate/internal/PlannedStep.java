package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Direction;
import dev.baton.migrate.NoDownMigrationException;
import dev.baton.migrate.Revision;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One revision to run in one direction, with its statements already split and checked, so that a
 * plan with a bad file fails before anything runs.
 */
public record PlannedStep(Revision revision, Direction direction, Change change, List<SqlStatement> statements) {
    private static final Set<String> TRANSACTION_CONTROL = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT");

    public static PlannedStep of(Revision r, Direction direction) {
        Change change = direction == Direction.UPGRADE ? r.up() : r.down();
        if (change == null) {
            throw new NoDownMigrationException("revision " + r.id() + " (" + r.source() + ") has no down migration, so it"
                    + " cannot be downgraded; add one (SQL under `-- baton:down`, a down.sql or a U-file) or stamp instead", r.id());
        }
        List<SqlStatement> statements = List.of();
        if (change instanceof Change.Sql sql) {
            statements = SqlSplitter.split(sql.text(), sql.file().toString(), sql.firstLine());
            if (r.transactional()) {
                for (SqlStatement s : statements) {
                    check(sql, s);
                }
            }
        }
        return new PlannedStep(r, direction, change, statements);
    }

    private static void check(Change.Sql sql, SqlStatement s) {
        String where = sql.file() + ":" + s.line() + ": ";
        if (controlsTransaction(s)) {
            throw BatonException.usage(where + s.firstWord() + " controls the transaction, but Baton already runs each"
                    + " revision in a transaction with its history row; remove it, or mark the revision"
                    + " non-transactional (`-- baton:transactional false`)");
        }
        if (cannotRunInTransaction(s)) {
            throw BatonException.usage(where + "this statement cannot run inside a transaction; put it in a"
                    + " revision of its own marked `-- baton:transactional false`");
        }
        if (s.firstWord().equals("COPY") && s.sql().toUpperCase(Locale.ROOT).matches("(?s).*\\bFROM\\s+STDIN\\b.*")) {
            throw BatonException.usage(where + "COPY ... FROM STDIN needs psql to send the data; use INSERT"
                    + " statements or COPY from a server-side file");
        }
    }

    /** BEGIN, COMMIT and the like (not a function body's BEGIN ATOMIC). */
    public static boolean controlsTransaction(SqlStatement s) {
        String first = s.firstWord();
        return TRANSACTION_CONTROL.contains(first) && !(first.equals("BEGIN") && s.word(1).equals("ATOMIC"));
    }

    /** A statement PostgreSQL refuses inside a transaction block: CREATE INDEX CONCURRENTLY, VACUUM, ... */
    public static boolean cannotRunInTransaction(SqlStatement s) {
        String first = s.firstWord();
        String upper = s.sql().toUpperCase(Locale.ROOT);
        return upper.matches("(?s)(CREATE\\s+(UNIQUE\\s+)?INDEX|DROP\\s+INDEX|REINDEX).*\\bCONCURRENTLY\\b.*")
                || first.equals("VACUUM") || (first.equals("CREATE") && s.word(1).equals("DATABASE"))
                || (first.equals("DROP") && s.word(1).equals("DATABASE")) || (first.equals("ALTER") && s.word(1).equals("SYSTEM"));
    }

    /** The history row this step writes. */
    public HistoryTable.Row row(String appliedBy) {
        return new HistoryTable.Row(revision.id(), revision.parents(), revision.message(), revision.checksum(),
                direction, appliedBy);
    }

    /** The row written before a revision that runs outside a transaction (see {@link Direction#STARTED}). */
    public HistoryTable.Row startedRow(String appliedBy) {
        return new HistoryTable.Row(revision.id(), revision.parents(), direction.dbName(), revision.checksum(),
                Direction.STARTED, appliedBy);
    }

    /**
     * A further {@link Direction#STARTED} row after each statement of a revision outside a
     * transaction: its description says how far it got ({@code upgrade; 2 of 5 statements done,
     * the last at V3__x.sql:7}).
     */
    public HistoryTable.Row progressRow(String appliedBy, int done, int of, String last) {
        return new HistoryTable.Row(revision.id(), revision.parents(), direction.dbName() + "; " + done + " of " + of
                + " statements done, the last at " + last, revision.checksum(), Direction.STARTED, appliedBy);
    }

        /** Whether it runs statements outside a transaction, so that a cut-off run must be marked. */
    public boolean runsOutsideTransaction() {
        return !revision.transactional() && (direction == Direction.UPGRADE || direction == Direction.DOWNGRADE);
    }
}
