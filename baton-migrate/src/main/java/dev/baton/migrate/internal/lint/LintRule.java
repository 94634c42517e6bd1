package dev.baton.migrate.internal.lint;

/**
 * The rules of {@code baton migrate lint}: each with its id, severity, why it matters while the
 * old version still serves (a blue/green deploy migrates before the switch), and the safe way.
 */
public enum LintRule {
    // breaks the serving version
    DROP_COLUMN("drop-column", true, "the old version still reads or writes this column until the switch (and for good if the"
            + " deploy then fails): its queries fail from the moment the migration commits",
            "expand/contract: stop using the column in one release, drop it in a later one (or in a contract revision)"),
    DROP_TABLE("drop-table", true, "the old version still uses this table until the switch: its queries fail",
            "drop it in a later release, once no serving version uses it (or in a contract revision)"),
    RENAME_COLUMN("rename-column", true, "the old version knows the column by its old name: its queries fail",
            "add the new column, write both from the new version, backfill in batches, move reads, then drop the old one"
                    + " in a later release"),
    RENAME_TABLE("rename-table", true, "the old version knows the table by its old name: its queries fail",
            "create the new table (or a view under the old name), move the app over, drop the old name in a later release"),
    ADD_REQUIRED_COLUMN("add-required-column", true, "a NOT NULL column without a default: the old version's INSERTs"
            + " do not fill it and fail", "add it nullable (or with a DEFAULT), backfill in batches, then SET NOT NULL"
            + " through a validated CHECK (col IS NOT NULL) NOT VALID constraint in a later release"),
    SET_NOT_NULL("set-not-null", true, "the old version may still write NULL here, and SET NOT NULL scans the whole table"
            + " under ACCESS EXCLUSIVE", "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT,"
            + " once every serving version writes the column"),
    CHANGE_COLUMN_TYPE("change-column-type", true, "the old version binds and reads the old type (and most type changes"
            + " rewrite the table under ACCESS EXCLUSIVE)", "add a column of the new type, write both, backfill in batches,"
            + " switch reads, drop the old column in a later release"),
    DROP_DEFAULT("drop-default", true, "the old version's INSERTs rely on the default", "drop the default in a later"
            + " release, once no serving version relies on it"),
    RENAME_ENUM_VALUE("rename-enum-value", true, "the old version reads and writes the old label: its writes fail and"
            + " its reads see a value it does not know", "add the new value (ALTER TYPE ... ADD VALUE), move the app"
            + " and the rows over, stop using the old one"),
    BREAKS_SERVING_QUERY("breaks-serving-query", true, "one of the serving version's own queries (migrations.serving_queries)"
            + " no longer prepares on the schema this revision leaves", "expand/contract: keep what the query uses until no"
            + " serving version runs it (remove it in a contract revision)"),
    // locks the serving version out
    INDEX_WITHOUT_CONCURRENTLY("index-without-concurrently", true, "CREATE INDEX holds a SHARE lock on the table for the"
            + " whole build: every write of the old version waits", "CREATE INDEX CONCURRENTLY, in a revision of its own"
            + " outside a transaction"),
    CONSTRAINT_WITHOUT_NOT_VALID("constraint-without-not-valid", true, "adding a validated FOREIGN KEY or CHECK scans the"
            + " table while holding a lock that blocks the old version's writes", "ADD CONSTRAINT ... NOT VALID (instant),"
            + " then ALTER TABLE ... VALIDATE CONSTRAINT in a later statement (it lets writes through)"),
    ADD_UNIQUE_CONSTRAINT("add-unique-constraint", true, "adding a UNIQUE or PRIMARY KEY constraint builds its index under"
            + " a lock that blocks the old version's writes", "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ..."
            + " UNIQUE USING INDEX (instant)"),
    TABLE_REWRITE("table-rewrite", true, "the statement rewrote the whole table under ACCESS EXCLUSIVE: every query of the"
            + " old version on it waits until the rewrite ends", "avoid the rewrite (add columns with a constant default"
            + " or none, change types through a new column), or run it when the table is small"),
    EXCLUSIVE_LOCK_THEN_SLOW_WORK("exclusive-lock-then-slow-work", true, "an ACCESS EXCLUSIVE lock taken earlier in the"
            + " transaction is held while this statement scans or writes: the old version waits for all of it",
            "put the statement that takes the exclusive lock last in its revision, or in a revision of its own"),
    // robustness
    STATEMENT_FAILS("statement-fails", true, "the statement fails on a copy of the database at the target's revision,"
            + " so it would fail in the deploy too", "fix the statement; the revisions after it were not linted"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", false, "a CONCURRENTLY statement inside a BEGIN ... COMMIT"
            + " block fails: PostgreSQL refuses it in a transaction", "move it out of the BEGIN ... COMMIT block"),
    NON_TRANSACTIONAL_NOT_IDEMPOTENT("non-transactional-not-idempotent", false, "this revision runs outside a"
            + " transaction, and this statement failed when run a second time on the shadow: after an interruption the"
            + " revision cannot simply be run again", "write it to be re-run: IF NOT EXISTS, IF EXISTS, ON CONFLICT DO NOTHING"),
    SELECT_STAR_ON_CHANGED_TABLE("select-star-on-changed-table", false, "a serving query reads every column of a table whose"
            + " columns this revision changes (SELECT * or RETURNING *): with server-side prepared statements (pgjdbc's"
            + " default after 5 executions) the old version then gets 'cached plan must not change result type' errors",
            "name the columns the query needs"),
    UNUSED_SUPPRESSION("unused-suppression", false, "this `-- baton:allow` suppresses nothing (the rule did not fire on"
            + " this statement)", "remove it, or move it next to the statement it is meant for"),
    SUPPRESSION_WITHOUT_REASON("suppression-without-reason", true, "a `-- baton:allow` needs a reason, kept with the"
            + " statement for the next reader", "write  -- baton:allow <rule-id> <why this is safe here>");

    private final String id;
    private final boolean error;
    private final String why;
    private final String fix;

    LintRule(String id, boolean error, String why, String fix) {
        this.id = id;
        this.error = error;
        this.why = why;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public String severity() {
        return error ? "error" : "warning";
    }

    public String why() {
        return why;
    }

    public String fix() {
        return fix;
    }

    /** The rules about what the old version uses (allowed in a contract revision, which runs after it stopped). */
    public boolean breaksServingVersion() {
        return ordinal() <= BREAKS_SERVING_QUERY.ordinal();
    }

    public static LintRule byId(String id) {
        for (LintRule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }
}
