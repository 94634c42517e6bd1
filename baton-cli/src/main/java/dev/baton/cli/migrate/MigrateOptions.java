package dev.baton.cli.migrate;

import dev.baton.BatonException;
import dev.baton.cli.Cli;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.config.MigrationsConfig;
import dev.baton.migrate.MigrateSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the database and the migrations are: options, then environment, then baton.yml. */
public final class MigrateOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "baton.yml to read the migrations: section from (default: ./baton.yml if present)")
    String configFile;

    @Option(names = "--url", paramLabel = "URL",
            description = {"database: jdbc:postgresql://host:5432/db or postgres://user:pass@host:5432/db",
                    "(default: $BATON_DATABASE_URL, then migrations.url)"})
    String url;

    @Option(names = "--user", paramLabel = "NAME", description = "database user (overrides the URL's)")
    String user;

    @Option(names = "--password", paramLabel = "SECRET",
            description = "database password (prefer $BATON_DATABASE_PASSWORD: the command line is visible to other users)")
    String password;

    @Option(names = "--dir", paramLabel = "DIR", description = "migrations folder (default: migrations.dir, then ./migrations)")
    String dir;

    @Option(names = "--layout", paramLabel = "NAME",
            description = "folder layout: baton, flyway, golang-migrate, folders (diesel), sqlx or auto (default: auto)")
    String layout;

    @Option(names = "--history-table", paramLabel = "NAME", description = "history table (default: " + MigrateSettings.DEFAULT_TABLE + ")")
    String table;

    @Option(names = "--lock-timeout", paramLabel = "DURATION",
            description = "how long to wait for another migrator's lock, e.g. 30s, 2m, 0 (default: 60s)")
    String lockTimeout;

    @Option(names = "--statement-lock-timeout", paramLabel = "DURATION",
            description = "how long one statement may wait for a table lock before its revision is rolled back and"
                    + " tried again, so the app's queries never queue behind a migration for longer (default: 200ms; 0 waits forever)")
    String statementLockTimeout;

    @Option(names = "--lock-retries", paramLabel = "N", description = "how many times to try a revision again after a table lock timeout, after pauses of 0.1 s doubling to 5 s with jitter (default: 30)")
    Long lockRetries; // a Long, so that a number past an int's range is refused with the range below, not as "not an int"

    @Option(names = "--classpath", paramLabel = "PATH", split = ":",
            description = "jars or folders holding Java migrations (colon-separated)")
    List<String> classpath = new ArrayList<>();

    @Option(names = "--serving-queries", paramLabel = "FILE",
            description = "the serving version's queries (a .sql file, or pg_stat_statements): each that works now must"
                    + " still work before a revision commits, or the revision is rolled back (default: migrations.serving_queries)")
    String servingQueries;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "where run logs go (default: .baton/logs)")
    String logDir;

    private MigrationsConfig config;

    /** The migrations: section of baton.yml, read once per command. */
    MigrationsConfig config(Cli cli) {
        if (config == null) {
            config = readConfig(cli);
        }
        return config;
    }

    private MigrationsConfig readConfig(Cli cli) {
        Path file = configFile != null ? cli.resolve(configFile) : cli.resolve("baton.yml");
        if (configFile == null && !Files.isRegularFile(file)) {
            return MigrationsConfig.EMPTY;
        }
        Path parent = file.toAbsolutePath().getParent();
        return MigrationsConfig.read(ConfigNode.load(file, cli.env()), parent);
    }

    /** Settings from options, environment and config; {@code needDatabase} false allows no URL. */
    MigrateSettings settings(Cli cli, boolean needDatabase) {
        MigrationsConfig cfg = config(cli);
        if (cfg.engine() == MigrationsConfig.Engine.COMMAND) {
            throw BatonException.usage("migrations.engine is command in " + (configFile == null ? "baton.yml" : configFile)
                    + ": `baton migrate` drives the builtin engine only; run your migration tool directly");
        }
        Duration timeout = duration("--lock-timeout", lockTimeout);
        Duration statementTimeout = duration("--statement-lock-timeout", statementLockTimeout);
        if (lockRetries != null && (lockRetries < 0 || lockRetries > 100)) {
            throw BatonException.usage("--lock-retries: expected a number from 0 to 100, got " + lockRetries);
        }
        MigrationsConfig merged = cfg.override(
                first(url, cli.env().get("BATON_DATABASE_URL")), user,
                first(password, cli.env().get("BATON_DATABASE_PASSWORD")),
                dir == null ? null : cli.resolve(dir), layout, table, timeout,
                classpath.stream().map(cli::resolve).toList(), logDir == null ? null : cli.resolve(logDir),
                statementTimeout, lockRetries == null ? null : lockRetries.intValue());
        MigrateSettings settings = merged.settings(needDatabase, cli.resolve("migrations"), cli.resolve(".baton/logs"));
        if (servingQueries != null) {
            settings = settings.withServingQueries(servingQueries.equals("pg_stat_statements") ? servingQueries
                    : cli.resolve(servingQueries).toString());
        }
        return settings;
    }

    private static Duration duration(String option, String value) {
        if (value == null) {
            return null;
        }
        Duration d = ConfigNode.parseDuration(value);
        if (d == null) {
            throw BatonException.usage(option + ": expected a duration such as 30s, 500ms or 2m, got \"" + value + "\"");
        }
        return d;
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
