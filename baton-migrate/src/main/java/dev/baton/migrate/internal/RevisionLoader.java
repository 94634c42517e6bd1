package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.JavaMigration;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/** Reads the revisions of a migrations folder: detects its layout, hands it to that layout's reader, adds Java migrations. */
public final class RevisionLoader {

    /**
     * The layout found, the revisions in folder order (Java migrations last), and the {@code .sql}
     * files the layout's tool would not run either (named so that a misnamed migration is not
     * skipped without a word: {@code v3__x.sql} in a Flyway folder, whose prefix is case-sensitive).
     */
    public record Loaded(Layout layout, List<Revision> revisions, List<Path> ignored) {
        public Loaded(Layout layout, List<Revision> revisions) {
            this(layout, revisions, List.of());
        }
    }

    private RevisionLoader() {}

    public static Loaded load(Path dir, Layout layout, ClassLoader javaMigrations) {
        return load(dir, layout, javaMigrations, Map.of());
    }

    /** @param placeholders values for Flyway's {@code ${name}} placeholders, {@code flyway:} ones included */
    public static Loaded load(Path dir, Layout layout, ClassLoader javaMigrations, Map<String, String> placeholders) {
        if (!Files.isDirectory(dir)) {
            throw BatonException.usage("migrations folder " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist")
                    + "; create it, pass --dir, or set migrations.dir in baton.yml");
        }
        List<Path> entries = MigrationFiles.list(dir);
        Layout actual = layout == Layout.AUTO ? detect(dir, entries) : layout;
        if (actual == Layout.FLYWAY) {
            entries = MigrationFiles.walk(dir); // Flyway reads its locations' sub-folders too
        }
        List<Revision> revisions = new ArrayList<>(LayoutReader.of(actual, placeholders).read(entries));
        if (javaMigrations != null) {
            revisions.addAll(loadJava(javaMigrations));
        }
        return new Loaded(actual, revisions, ignored(actual, entries));
    }

    /** The {@code .sql} files of a linear layout that match none of its names. */
    private static List<Path> ignored(Layout layout, List<Path> entries) {
        List<Pattern> names = switch (layout) {
            case FLYWAY -> List.of(FlywayLayout.FILE, FlywayLayout.REPEATABLE, FlywayLayout.CALLBACK);
            case GOLANG_MIGRATE -> List.of(GolangMigrateLayout.FILE);
            case SQLX -> List.of(SQLX_SIMPLE, GolangMigrateLayout.FILE);
            default -> List.of(); // Baton's own refuses such a file; diesel's live in folders
        };
        if (names.isEmpty()) {
            return List.of();
        }
        return entries.stream().filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                .filter(p -> names.stream().noneMatch(n -> n.matcher(p.getFileName().toString()).matches())).toList();
    }

    /** sqlx's simple migration, {@code <version>_<description>.sql}, told from a Baton file by its lack of header. */
    private static final Pattern SQLX_SIMPLE = Pattern.compile("\\d+_.+\\.sql");

    /** Decides the layout from the folder's entries; an empty folder is Baton's own. */
    static Layout detect(Path dir, List<Path> entries) {
        Map<Layout, Path> seen = new LinkedHashMap<>();
        List<Path> unknownSql = new ArrayList<>();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (Files.isDirectory(p)) {
                if (Files.isRegularFile(p.resolve("up.sql"))) {
                    seen.putIfAbsent(Layout.FOLDERS, p);
                }
            } else if (FlywayLayout.FILE.matcher(name).matches() || FlywayLayout.REPEATABLE.matcher(name).matches()) {
                seen.putIfAbsent(Layout.FLYWAY, p);
            } else if (GolangMigrateLayout.FILE.matcher(name).matches()) {
                seen.putIfAbsent(Layout.GOLANG_MIGRATE, p);
            } else if (name.endsWith(".sql") && !seen.containsKey(Layout.BATON)) {
                // one header is enough to know; the loader reads (and checks) every file anyway
                if (MigrationFiles.read(p).contains(BatonLayout.REVISION_MARK)) {
                    seen.put(Layout.BATON, p);
                } else if (SQLX_SIMPLE.matcher(name).matches()) {
                    seen.putIfAbsent(Layout.SQLX, p);
                } else {
                    unknownSql.add(p);
                }
            }
        }
        if (seen.containsKey(Layout.SQLX) && seen.containsKey(Layout.GOLANG_MIGRATE)) {
            seen.remove(Layout.GOLANG_MIGRATE); // sqlx has simple and reversible (.up/.down) migrations side by side
        }
        if (seen.size() > 1) {
            StringBuilder msg = new StringBuilder("migrations folder " + dir + " mixes layouts:");
            seen.forEach((l, p) -> msg.append(' ').append(l.configName()).append(" (").append(p.getFileName()).append(')'));
            throw BatonException.usage(msg + "; keep one layout per folder, or name it with --layout");
        }
        if (seen.isEmpty() && unknownSql.isEmpty() && entries.stream().anyMatch(Files::isDirectory)
                && MigrationFiles.walk(dir).stream().map(p -> p.getFileName().toString())
                        .anyMatch(n -> FlywayLayout.FILE.matcher(n).matches() || FlywayLayout.REPEATABLE.matcher(n).matches())) {
            return Layout.FLYWAY; // its files only in sub-folders, as Flyway allows (db/migration/2024/V1__x.sql)
        }
        if (seen.isEmpty()) {
            if (!unknownSql.isEmpty()) {
                throw BatonException.usage(unknownSql.get(0) + ": cannot tell which layout this file belongs to;"
                        + " expected a `" + BatonLayout.REVISION_MARK + " <id>` header, V1__name.sql (Flyway),"
                        + " 1_name.up.sql (golang-migrate), 20240101000000_name.sql (sqlx) or a folder with up.sql");
            }
            return Layout.BATON;
        }
        Layout found = seen.keySet().iterator().next();
        if (found == Layout.BATON && !unknownSql.isEmpty()) {
            throw BatonException.usage(unknownSql.get(0) + ": no `" + BatonLayout.REVISION_MARK + " <id>` header;"
                    + " every .sql file in a Baton migrations folder is a revision (create one with `baton migrate new`)");
        }
        return found;
    }

    // ---- Java migrations

    private static List<Revision> loadJava(ClassLoader loader) {
        List<Revision> out = new ArrayList<>();
        try {
            for (JavaMigration m : ServiceLoader.load(JavaMigration.class, loader)) {
                String source = m.getClass().getName();
                out.add(new Revision(m.revision(), m.parents(), m.message(), source, m.checksum(),
                        m.transactional(), new Change.Java(m, true), m.reversible() ? new Change.Java(m, false) : null));
            }
        } catch (ServiceConfigurationError e) {
            throw BatonException.usage("cannot load Java migrations: " + e.getMessage());
        }
        return out;
    }

}
