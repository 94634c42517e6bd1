package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's {@code V<version>__<description>.sql} (and {@code U} undo files), linear by version, and its
 * repeatable {@code R__<description>.sql} (kept apart from the chain: {@link RevisionGraph#repeatables}),
 * with Flyway's {@code ${placeholders}} replaced ({@link FlywayPlaceholders}).
 */
final class FlywayLayout implements LayoutReader {
    private final FlywayPlaceholders placeholders;

    FlywayLayout(FlywayPlaceholders placeholders) {
        this.placeholders = placeholders;
    }

    static final Pattern FILE = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");
    /**
     * Flyway's SQL callbacks, {@code <event>.sql} or {@code <event>__<description>.sql} beside the
     * migrations (its documented events), which Flyway runs around its commands and Baton does not.
     */
    static final Pattern CALLBACK = Pattern.compile("((?:before|after)(?:Each)?(?:Migrate|Undo|Clean|Info|Validate|Baseline|Repair"
            + "|Repeatables|Versioned|Connect)(?:Statement)?(?:Applied)?(?:Error)?|createSchema)(?:__.*)?\\.sql");

    @Override
    public Layout layout() {
        return Layout.FLYWAY;
    }

    @Override
    public List<Revision> read(List<Path> entries) {
        Map<String, Path> ups = new LinkedHashMap<>();
        Map<String, Path> downs = new LinkedHashMap<>();
        Map<List<BigInteger>, Path> seen = new HashMap<>(); // by Flyway's equality: 1 = 1.0 = 001
        Map<String, Path> repeatables = new TreeMap<>(); // by description: Flyway's order
        for (Path p : entries) {
            String name = p.getFileName().toString();
            Matcher callback = CALLBACK.matcher(name);
            if (callback.matches()) { // skipped, the SQL a migration run needs (grants, a view's refresh) would be lost
                throw BatonException.usage(p + ": a Flyway callback (" + callback.group(1) + "), which Baton does not run;"
                        + " SQL that must follow every change of the schema can be a repeatable migration (R__" + callback.group(1)
                        + ".sql: it runs after the versioned ones whenever its text changes); keep callbacks for Flyway's own"
                        + " commands in a folder of their own (Flyway's callbackLocations)");
            }
            Matcher r = REPEATABLE.matcher(name);
            if (r.matches()) {
                Path clash = repeatables.put(r.group(1).replace('_', ' '), p);
                if (clash != null) {
                    throw BatonException.usage(p + ": repeatable migration with the same description as " + clash.getFileName()
                            + " (Flyway tells repeatables apart by description, `_` read as a space); rename one");
                }
                continue;
            }
            Matcher m = FILE.matcher(name);
            if (!m.matches()) {
                continue;
            }
            String version = m.group(2).replace('_', '.');
            Map<String, Path> target = m.group(1).equals("V") ? ups : downs;
            Path clash = target.put(version, p);
            if (clash != null) {
                throw BatonException.usage(p + ": duplicate revision id " + version + ", also in " + clash);
            }
            if (m.group(1).equals("V")) {
                Path same = seen.putIfAbsent(LinearChain.versionKey(version), p);
                if (same != null) {
                    throw BatonException.usage(p + ": version " + version + " is the same version as " + same.getFileName()
                            + " (Flyway compares versions as numbers: 1, 1.0 and 001 are one version); give one of them"
                            + " another version");
                }
            }
        }
        List<LinearChain.Linear> steps = new ArrayList<>();
        for (Map.Entry<String, Path> e : ups.entrySet()) {
            Path up = e.getValue();
            Matcher m = FILE.matcher(up.getFileName().toString());
            m.matches();
            String upText = MigrationFiles.read(up);
            Path conf = up.resolveSibling(up.getFileName() + ".conf");
            String rendered = placeholders.render(upText, up);
            boolean tx = !MigrationFiles.noTransaction(upText) && (!Files.isRegularFile(conf) || executeInTransaction(conf))
                    && transactional(rendered, up);
            Path downFile = downs.get(e.getKey());
            String checksum = MigrationFiles.checksum(new Change.Sql(up, 1, upText)); // of the file as written, as Flyway's
            steps.add(new LinearChain.Linear(e.getKey(), LinearChain.versionKey(e.getKey()), "", m.group(3).replace('_', ' '), up,
                    new Change.Sql(up, 1, rendered),
                    downFile == null ? null : new Change.Sql(downFile, 1, placeholders.render(MigrationFiles.read(downFile), downFile)),
                    tx, checksum));
        }
        for (String v : downs.keySet()) {
            if (!ups.containsKey(v)) {
                throw BatonException.usage(downs.get(v) + ": undo migration for version " + v
                        + " has no V" + v + "__*.sql beside it");
            }
        }
        List<Revision> out = new ArrayList<>(LinearChain.chain(steps,
                Comparator.comparing(LinearChain.Linear::sortKey, LinearChain::compareVersions)));
        repeatables.forEach((description, file) -> out.add(repeatable(description, file)));
        return out;
    }

    /**
     * A repeatable migration, id {@code R__<name>}. Its checksum is of the text with placeholders
     * replaced (Flyway's rule for repeatables: a changed value re-applies it).
     */
    private Revision repeatable(String description, Path file) {
        String name = file.getFileName().toString();
        String text = placeholders.render(MigrationFiles.read(file), file);
        Change.Sql up = new Change.Sql(file, 1, text);
        Path conf = file.resolveSibling(name + ".conf");
        boolean tx = !MigrationFiles.noTransaction(text) && (!Files.isRegularFile(conf) || executeInTransaction(conf))
                && transactional(text, file);
        return new Revision(RevisionGraph.REPEATABLE_PREFIX + name.substring(3, name.length() - 4), List.of(), description,
                file.toString(), MigrationFiles.checksum(up), tx, up, null);
    }

    /**
     * Flyway's rule for statements PostgreSQL refuses in a transaction (CREATE INDEX
     * CONCURRENTLY, VACUUM, ...): a file of nothing else runs outside a transaction; one that
     * mixes them with other statements is refused (as Flyway refuses it while its {@code mixed}
     * setting is off, the default).
     */
    private static boolean transactional(String text, Path file) {
        List<SqlStatement> statements = SqlSplitter.split(text, file.toString(), 1);
        List<SqlStatement> outside = statements.stream().filter(PlannedStep::cannotRunInTransaction).toList();
        if (outside.isEmpty()) {
            return true;
        }
        if (outside.size() < statements.size()) {
            throw BatonException.usage(file + ":" + outside.get(0).line() + ": this statement cannot run in a transaction, but"
                    + " the file has statements that can; Flyway refuses such a file too (its `mixed` setting is off by"
                    + " default): move the statement to a V file of its own");
        }
        return false;
    }

    /** A script's {@code V1__x.sql.conf}, a properties file as Flyway reads it: {@code executeInTransaction=false}. */
    static boolean executeInTransaction(Path conf) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(MigrationFiles.read(conf)));
        } catch (IOException | IllegalArgumentException e) {
            throw BatonException.usage(conf + ": not a properties file Flyway could read: " + e.getMessage());
        }
        String value = p.getProperty("executeInTransaction", "true").strip();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw BatonException.usage(conf + ": executeInTransaction is true or false, got " + value);
        }
        return Boolean.parseBoolean(value);
    }
}
