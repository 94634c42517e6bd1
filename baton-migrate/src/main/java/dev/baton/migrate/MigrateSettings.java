package dev.baton.migrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to know.
 *
 * @param database where the schema lives; may be null for commands that only read the folder
 * @param dir the migrations folder
 * @param layout the folder's layout, or AUTO
 * @param table the history table, optionally schema-qualified ({@code audit.baton_history})
 * @param lockTimeout how long to wait for another migrator's lock; zero fails at once
 * @param javaMigrations class loader to find {@link JavaMigration}s on, or null for none
 * @param logDir where run logs are written, or null for none
 * @param statementLocks how long each statement may wait for a table lock, and how often to retry
 * @param placeholders values for Flyway's {@code ${name}} placeholders (Flyway layout only; Baton
 *     adds Flyway's own {@code flyway:} ones)
 * @param contract which revisions are contract revisions, for layouts without Baton's
 *     {@code -- baton:phase contract} header: ids, or globs over ids and file names ({@code *_drop_*})
 * @param servingQueries where the serving version's queries come from, to check before each
 *     revision commits: a file of SQL queries, {@code pg_stat_statements}, or null for none
 */
public record MigrateSettings(DatabaseUrl database, Path dir, Layout layout, String table, Duration lockTimeout,
                              ClassLoader javaMigrations, Path logDir, StatementLocks statementLocks,
                              Map<String, String> placeholders, List<String> contract, String servingQueries) {
    public MigrateSettings {
        placeholders = Map.copyOf(placeholders);
        contract = List.copyOf(contract);
    }

    public MigrateSettings(DatabaseUrl database, Path dir, Layout layout, String table, Duration lockTimeout,
                           ClassLoader javaMigrations, Path logDir, StatementLocks statementLocks, Map<String, String> placeholders) {
        this(database, dir, layout, table, lockTimeout, javaMigrations, logDir, statementLocks, placeholders, List.of(),
                null);
    }

    public MigrateSettings withServingQueries(String source) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, logDir, statementLocks, placeholders,
                contract, source);
    }

    public MigrateSettings withContract(List<String> patterns) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, logDir, statementLocks, placeholders,
                patterns, servingQueries);
    }

    public static final String DEFAULT_TABLE = "baton_history";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public static MigrateSettings of(DatabaseUrl database, Path dir) {
        return new MigrateSettings(database, dir, Layout.AUTO, DEFAULT_TABLE, DEFAULT_LOCK_TIMEOUT, null,
                Path.of(".baton", "logs"), StatementLocks.DEFAULT, Map.of());
    }

    public MigrateSettings withTable(String t) {
        return new MigrateSettings(database, dir, layout, t, lockTimeout, javaMigrations, logDir, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withLockTimeout(Duration d) {
        return new MigrateSettings(database, dir, layout, table, d, javaMigrations, logDir, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withLayout(Layout l) {
        return new MigrateSettings(database, dir, l, table, lockTimeout, javaMigrations, logDir, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withJavaMigrations(ClassLoader loader) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, loader, logDir, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withStatementLocks(StatementLocks l) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, logDir, l, placeholders, contract, servingQueries);
    }

    public MigrateSettings withDir(Path d) {
        return new MigrateSettings(database, d, layout, table, lockTimeout, javaMigrations, logDir, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withLogDir(Path d) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, d, statementLocks, placeholders, contract, servingQueries);
    }

    public MigrateSettings withPlaceholders(Map<String, String> values) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, logDir, statementLocks, values, contract, servingQueries);
    }
}
