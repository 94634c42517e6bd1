package dev.baton.migrate;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the engine needs to know.
 *
 * @param database where the schema lives; may be null for commands that only read the folder
 * @param dir the migrations folder
 * @param layout the folder's layout, or AUTO
 * @param table the history table, optionally schema-qualified ({@code audit.baton_history})
 * @param lockTimeout how long to wait for another migrator's lock; zero fails at once
 * @param javaMigrations class loader to find {@link JavaMigration}s on, or null for none
 * @param logDir where run logs are written
 * @param statementLocks how long each statement may wait for a table lock, and how often to retry
 */
public record MigrateSettings(DatabaseUrl database, Path dir, Layout layout, String table, Duration lockTimeout,
                              ClassLoader javaMigrations, Path logDir, StatementLocks statementLocks) {
    public static final String DEFAULT_TABLE = "baton_history";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public static MigrateSettings of(DatabaseUrl database, Path dir) {
        return new MigrateSettings(database, dir, Layout.AUTO, DEFAULT_TABLE, DEFAULT_LOCK_TIMEOUT, null,
                Path.of(".baton", "logs"), StatementLocks.DEFAULT);
    }

    public MigrateSettings withTable(String t) {
        return new MigrateSettings(database, dir, layout, t, lockTimeout, javaMigrations, logDir, statementLocks);
    }

    public MigrateSettings withLockTimeout(Duration d) {
        return new MigrateSettings(database, dir, layout, table, d, javaMigrations, logDir, statementLocks);
    }

    public MigrateSettings withLayout(Layout l) {
        return new MigrateSettings(database, dir, l, table, lockTimeout, javaMigrations, logDir, statementLocks);
    }

    public MigrateSettings withJavaMigrations(ClassLoader loader) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, loader, logDir, statementLocks);
    }

    public MigrateSettings withStatementLocks(StatementLocks l) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, logDir, l);
    }

    public MigrateSettings withLogDir(Path d) {
        return new MigrateSettings(database, dir, layout, table, lockTimeout, javaMigrations, d, statementLocks);
    }
}
