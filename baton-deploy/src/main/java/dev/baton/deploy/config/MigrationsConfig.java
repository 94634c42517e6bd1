package dev.baton.deploy.config;

import dev.baton.BatonException;
import dev.baton.config.ConfigNode;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.Layout;
import dev.baton.migrate.MigrateSettings;
import dev.baton.migrate.StatementLocks;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code migrations:} section of baton.yml. Every key is optional; for {@code baton migrate}
 * command-line options and environment variables win over it. Relative paths are relative to the
 * config file's folder. {@code engine: command} runs {@code command} (an argv list) instead of the
 * built-in engine, and {@code down_command} to undo it when a deploy fails before traffic moves.
 */
public record MigrationsConfig(Engine engine, String url, String user, String password, Path dir, String layout,
                               String table, Duration lockTimeout, List<String> verifyTables, List<Path> classpath,
                               Path logDir, List<String> command, List<String> downCommand, Duration statementLockTimeout,
                               Integer lockRetries, RevisionSource revision, Map<String, String> placeholders,
                               String shadowUrl, Lint lint, List<String> contract, String servingQueries) {
    public static final Set<String> KEYS = Set.of("engine", "url", "user", "password", "dir", "layout", "history_table",
            "lock_timeout", "verify_tables", "classpath", "log_dir", "command", "down_command", "statement_lock_timeout",
            "lock_retries", "revision", "placeholders", "shadow_url", "lint", "contract",
            "serving_queries");

    /** {@code migrations.lint}: in a deploy, an error-level lint finding stops it ({@code error}), is printed ({@code warn}), or no lint runs ({@code off}). */
    public enum Lint { ERROR, WARN, OFF }

    public MigrationsConfig {
        placeholders = Map.copyOf(placeholders);
        contract = List.copyOf(contract);
    }

    /**
     * Where {@code engine: command} reads the schema's revision: the first word of each line a
     * command prints ({@code [alembic, current]}), or a version table's column
     * ({@code alembic_version.version_num}); {@link #NONE} when not configured.
     */
    /**
     * In {@code down_command}: the revision the schema was at before the deploy's upgrade ({@code base}
     * for an empty schema), so that the command reverts every revision the upgrade applied, not one.
     */
    public static final String REVISION_BEFORE = "{{revision_before}}";

    public record RevisionSource(List<String> command, String table, String column) {
        public static final RevisionSource NONE = new RevisionSource(List.of(), null, null);
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

        public RevisionSource {
            command = List.copyOf(command);
        }

        static RevisionSource read(ConfigNode n) {
            n.allowOnly(Set.of("command", "table", "column"));
            if (n.get("command").isPresent() == n.get("table").isPresent()) {
                throw n.error("give command: [program, args...] (e.g. [alembic, current]) or table: (e.g. alembic_version), not both");
            }
            if (n.get("command").isPresent()) {
                return new RevisionSource(argv(n.get("command").get()), null, null);
            }
            String table = n.get("table").get().string();
            String column = n.get("column").map(ConfigNode::string).orElse("version_num");
            if (!NAME.matcher(table).matches()) {
                throw n.get("table").get().error("expected a table name such as alembic_version or app.schema_version, got \"" + table + "\"");
            }
            if (!NAME.matcher(column).matches() || column.contains(".")) {
                throw n.get("column").get().error("expected a column name such as version_num, got \"" + column + "\"");
            }
            return new RevisionSource(List.of(), table, column);
        }
    }

    /** What brings the schema to the new version: Baton's own engine, the user's command, or nothing. */
    public enum Engine { BUILTIN, COMMAND, NONE }

    public static final MigrationsConfig EMPTY = new MigrationsConfig(Engine.NONE, null, null, null, null, null, null, null,
            List.of(), List.of(), null, List.of(), List.of(), null, null, RevisionSource.NONE, Map.of(), null, Lint.ERROR, List.of(), null);

    public boolean builtin() {
        return engine == Engine.BUILTIN;
    }

    public static MigrationsConfig read(ConfigNode root, Path configDir) {
        ConfigNode m = root.get("migrations").orElse(null);
        if (m == null) {
            return EMPTY;
        }
        m.allowOnly(KEYS);
        String name = m.get("engine").map(ConfigNode::string).orElse("builtin");
        if (!name.equals("builtin") && !name.equals("command")) {
            throw m.get("engine").get().error("expected builtin (Baton's engine) or command (your own tool), got \"" + name + "\"");
        }
        Engine engine = name.equals("builtin") ? Engine.BUILTIN : Engine.COMMAND;
        List<String> command = m.get("command").map(MigrationsConfig::argv).orElse(List.of());
        if (engine == Engine.COMMAND && command.isEmpty()) {
            throw m.error("engine: command needs command: [program, args...], e.g. [alembic, upgrade, head]");
        }
        List<String> tables = new ArrayList<>();
        m.get("verify_tables").ifPresent(n -> n.list().forEach(t -> tables.add(t.string())));
        if (engine == Engine.COMMAND && !tables.isEmpty() && m.get("url").isEmpty()) {
            throw m.get("verify_tables").get().error("with engine: command, Baton checks these tables itself: give"
                    + " migrations.url too (the database your command migrates)");
        }
        if (engine == Engine.COMMAND && m.get("revision").map(r -> r.get("table").isPresent()).orElse(false) && m.get("url").isEmpty()) {
            throw m.get("revision").get().error("revision.table is read from the database: give migrations.url too");
        }
        if (m.get("down_command").map(n -> n.list().stream().anyMatch(a -> a.string().contains(REVISION_BEFORE))).orElse(false)
                && m.get("revision").isEmpty()) {
            throw m.get("down_command").get().error(REVISION_BEFORE + " is the revision Baton read before the upgrade, from"
                    + " migrations.revision: give it too, e.g. revision: {table: alembic_version}");
        }
        List<Path> classpath = new ArrayList<>();
        m.get("classpath").ifPresent(n -> n.list().forEach(p -> classpath.add(configDir.resolve(p.string()))));
        return new MigrationsConfig(engine,
                m.get("url").map(ConfigNode::string).orElse(null),
                m.get("user").map(ConfigNode::string).orElse(null),
                m.get("password").map(ConfigNode::string).orElse(null),
                m.get("dir").map(n -> configDir.resolve(n.string()).normalize()).orElse(null),
                m.get("layout").map(ConfigNode::string).orElse(null),
                m.get("history_table").map(ConfigNode::string).orElse(null),
                m.get("lock_timeout").map(ConfigNode::duration).orElse(null),
                tables, classpath,
                m.get("log_dir").map(n -> configDir.resolve(n.string()).normalize()).orElse(null),
                command, m.get("down_command").map(MigrationsConfig::argv).orElse(List.of()),
                m.get("statement_lock_timeout").map(ConfigNode::duration).orElse(null),
                m.get("lock_retries").map(MigrationsConfig::retries).orElse(null),
                m.get("revision").map(RevisionSource::read).orElse(RevisionSource.NONE),
                m.get("placeholders").map(MigrationsConfig::placeholders).orElse(Map.of()),
                m.get("shadow_url").map(ConfigNode::string).orElse(null),
                m.get("lint").map(MigrationsConfig::lint).orElse(Lint.ERROR),
                m.get("contract").map(MigrationsConfig::contract).orElse(List.of()),
                m.get("serving_queries").map(n -> n.string().equals("pg_stat_statements") ? n.string()
                        : configDir.resolve(n.string()).normalize().toString()).orElse(null));
    }

    /** {@code migrations.contract}: revision ids or globs over ids and file names, each checked as a glob now. */
    private static List<String> contract(ConfigNode n) {
        List<String> out = new ArrayList<>();
        for (ConfigNode item : n.list()) {
            String glob = item.string();
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw item.error("not a glob (" + e.getMessage().lines().findFirst().orElse("") + "); write a revision id"
                        + " such as 20240101000000, or a glob such as \"V*__drop_*.sql\"");
            }
            if (glob.isBlank()) {
                throw item.error("an empty pattern names no revision; write a revision id or a glob such as \"*__drop_*\"");
            }
            out.add(glob);
        }
        return out;
    }

    private static Lint lint(ConfigNode n) {
        return switch (n.string()) {
            case "error" -> Lint.ERROR;
            case "warn" -> Lint.WARN;
            case "off" -> Lint.OFF;
            default -> throw n.error("expected error (a finding that breaks the serving version stops the deploy),"
                    + " warn (printed only) or off, got \"" + n.string() + "\"");
        };
    }

    /** {@code migrations.placeholders}: Flyway placeholder names to values, e.g. {schema: app}. */
    private static Map<String, String> placeholders(ConfigNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.entries().forEach((k, v) -> {
            if (k.isEmpty() || k.contains("}")) {
                throw v.error("a placeholder name cannot be empty or contain }");
            }
            out.put(k, v.string());
        });
        return out;
    }

    private static int retries(ConfigNode n) {
        return n.integer(0, 100, "a number of retries from 0 to 100");
    }

    /** This section with command-line values laid over it (nulls and empty lists keep the file's). */
    public MigrationsConfig override(String url, String user, String password, Path dir, String layout, String table,
                                     Duration lockTimeout, List<Path> moreClasspath, Path logDir,
                                     Duration statementLockTimeout, Integer lockRetries) {
        List<Path> cp = new ArrayList<>(classpath);
        cp.addAll(moreClasspath);
        return new MigrationsConfig(engine, first(url, this.url), first(user, this.user), first(password, this.password),
                first(dir, this.dir), first(layout, this.layout), first(table, this.table),
                first(lockTimeout, this.lockTimeout), verifyTables, cp, first(logDir, this.logDir), command, downCommand,
                first(statementLockTimeout, this.statementLockTimeout), first(lockRetries, this.lockRetries), revision,
                placeholders, shadowUrl, lint, contract, servingQueries);
    }

    /**
     * The engine's settings. {@code needDatabase} false allows no URL (commands that only read the
     * folder); the defaults apply where neither file nor command line says.
     */
    public MigrateSettings settings(boolean needDatabase, Path defaultDir, Path defaultLogDir) {
        DatabaseUrl database = null;
        if (url != null) {
            database = DatabaseUrl.parse(url, user, password);
        } else if (needDatabase) {
            throw BatonException.usage("no database given; pass --url (jdbc:postgresql://host:5432/db or"
                    + " postgres://user:pass@host:5432/db), set BATON_DATABASE_URL, or set migrations.url in baton.yml");
        }
        Layout l = Layout.AUTO;
        if (layout != null) {
            l = Layout.fromName(layout);
            if (l == null) {
                throw BatonException.usage("unknown layout \"" + layout + "\"; expected baton, flyway,"
                        + " golang-migrate, folders, sqlx or auto");
            }
        }
        return new MigrateSettings(database, first(dir, defaultDir), l, first(table, MigrateSettings.DEFAULT_TABLE),
                first(lockTimeout, MigrateSettings.DEFAULT_LOCK_TIMEOUT),
                classpath.isEmpty() ? null : classLoader(classpath), first(logDir, defaultLogDir),
                new StatementLocks(first(statementLockTimeout, StatementLocks.DEFAULT.timeout()),
                        first(lockRetries, StatementLocks.DEFAULT.retries())), placeholders(System.getenv()), contract, servingQueries);
    }

    /**
     * Flyway's placeholders: {@code FLYWAY_PLACEHOLDERS_<NAME>} from the environment (the name in
     * lower case, as Flyway reads it), then baton.yml's {@code migrations.placeholders} over them.
     */
    Map<String, String> placeholders(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("FLYWAY_PLACEHOLDERS_") && k.length() > "FLYWAY_PLACEHOLDERS_".length()) {
                out.put(k.substring("FLYWAY_PLACEHOLDERS_".length()).toLowerCase(Locale.ROOT), v);
            }
        });
        out.putAll(placeholders);
        return out;
    }

    private static ClassLoader classLoader(List<Path> paths) {
        List<URL> urls = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw BatonException.usage("classpath entry " + p + " does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw BatonException.usage("classpath entry " + p + " is not a valid path");
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), MigrationsConfig.class.getClassLoader());
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** An argv list: {@code [alembic, upgrade, head]}; a plain string is refused (no shell strings). */
    static List<String> argv(ConfigNode n) {
        List<ConfigNode> items;
        try {
            items = n.list();
        } catch (BatonException e) {
            throw n.error("expected a list of program and arguments, e.g. [alembic, upgrade, head];"
                    + " for a shell script write {shell: \"...\"} where a hook allows it");
        }
        if (items.isEmpty()) {
            throw n.error("expected at least a program name");
        }
        return items.stream().map(ConfigNode::string).toList();
    }
}
