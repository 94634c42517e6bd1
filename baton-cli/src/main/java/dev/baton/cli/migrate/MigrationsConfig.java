package dev.baton.cli.migrate;

import dev.baton.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code migrations:} section of baton.yml. Every key is optional; command-line options and
 * environment variables win over it. Relative paths are relative to the config file's folder.
 */
record MigrationsConfig(String url, String user, String password, Path dir, String layout, String table,
                        Duration lockTimeout, List<String> verifyTables, List<Path> classpath, Path logDir) {
    static final Set<String> KEYS = Set.of("engine", "url", "user", "password", "dir", "layout", "history_table",
            "lock_timeout", "verify_tables", "classpath", "log_dir");

    static final MigrationsConfig EMPTY = new MigrationsConfig(null, null, null, null, null, null, null, List.of(), List.of(), null);

    static MigrationsConfig read(ConfigNode root, Path configDir) {
        ConfigNode m = root.get("migrations").orElse(null);
        if (m == null) {
            return EMPTY;
        }
        m.allowOnly(KEYS);
        m.get("engine").ifPresent(e -> {
            if (!e.string().equals("builtin")) {
                throw e.error("expected builtin (the `command` engine runs from `baton deploy`), got \"" + e.string() + "\"");
            }
        });
        List<String> tables = new ArrayList<>();
        m.get("verify_tables").ifPresent(n -> n.list().forEach(t -> tables.add(t.string())));
        List<Path> classpath = new ArrayList<>();
        m.get("classpath").ifPresent(n -> n.list().forEach(p -> classpath.add(configDir.resolve(p.string()))));
        return new MigrationsConfig(
                m.get("url").map(ConfigNode::string).orElse(null),
                m.get("user").map(ConfigNode::string).orElse(null),
                m.get("password").map(ConfigNode::string).orElse(null),
                m.get("dir").map(n -> configDir.resolve(n.string()).normalize()).orElse(null),
                m.get("layout").map(ConfigNode::string).orElse(null),
                m.get("history_table").map(ConfigNode::string).orElse(null),
                m.get("lock_timeout").map(ConfigNode::duration).orElse(null),
                tables, classpath,
                m.get("log_dir").map(n -> configDir.resolve(n.string()).normalize()).orElse(null));
    }
}
