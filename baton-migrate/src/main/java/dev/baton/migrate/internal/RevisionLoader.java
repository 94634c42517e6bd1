package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.JavaMigration;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the revisions of a migrations folder in any supported layout, plus Java migrations. */
public final class RevisionLoader {
    static final Pattern FLYWAY = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__.+\\.sql");
    static final Pattern GOLANG = Pattern.compile("(\\d+)_(.+)\\.(up|down)\\.sql");
    static final String BATON_MARK = "-- baton:revision";
    static final String DOWN_MARK = "-- baton:down";

    /** The layout found and the revisions in folder order (Java migrations last). */
    public record Loaded(Layout layout, List<Revision> revisions) {}

    private RevisionLoader() {}

    public static Loaded load(Path dir, Layout layout, ClassLoader javaMigrations) {
        if (!Files.isDirectory(dir)) {
            throw BatonException.usage("migrations folder " + dir + " does not exist; create it, pass --dir,"
                    + " or set migrations.dir in baton.yml");
        }
        List<Path> entries = list(dir);
        Layout actual = layout == Layout.AUTO ? detect(dir, entries) : layout;
        List<Revision> revisions = new ArrayList<>(switch (actual) {
            case BATON -> loadBaton(entries);
            case FLYWAY -> loadFlyway(entries);
            case GOLANG_MIGRATE -> loadGolang(entries);
            case FOLDERS -> loadFolders(entries);
            case AUTO -> throw new IllegalStateException("unreachable");
        });
        if (javaMigrations != null) {
            revisions.addAll(loadJava(javaMigrations));
        }
        return new Loaded(actual, revisions);
    }

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
            } else if (FLYWAY.matcher(name).matches() || FLYWAY_REPEATABLE.matcher(name).matches()) {
                seen.putIfAbsent(Layout.FLYWAY, p);
            } else if (GOLANG.matcher(name).matches()) {
                seen.putIfAbsent(Layout.GOLANG_MIGRATE, p);
            } else if (name.endsWith(".sql") && !seen.containsKey(Layout.BATON)) {
                // one header is enough to know; the loader reads (and checks) every file anyway
                if (read(p).contains(BATON_MARK)) {
                    seen.put(Layout.BATON, p);
                } else {
                    unknownSql.add(p);
                }
            }
        }
        if (seen.size() > 1) {
            StringBuilder msg = new StringBuilder("migrations folder " + dir + " mixes layouts:");
            seen.forEach((l, p) -> msg.append(' ').append(l.configName()).append(" (").append(p.getFileName()).append(')'));
            throw BatonException.usage(msg + "; keep one layout per folder, or name it with --layout");
        }
        if (seen.isEmpty()) {
            if (!unknownSql.isEmpty()) {
                throw BatonException.usage(unknownSql.get(0) + ": cannot tell which layout this file belongs to;"
                        + " expected a `" + BATON_MARK + " <id>` header, V1__name.sql (Flyway),"
                        + " 1_name.up.sql (golang-migrate) or a folder with up.sql");
            }
            return Layout.BATON;
        }
        Layout found = seen.keySet().iterator().next();
        if (found == Layout.BATON && !unknownSql.isEmpty()) {
            throw BatonException.usage(unknownSql.get(0) + ": no `" + BATON_MARK + " <id>` header;"
                    + " every .sql file in a Baton migrations folder is a revision (create one with `baton migrate new`)");
        }
        return found;
    }

    // ---- Baton's own layout

    private static List<Revision> loadBaton(List<Path> entries) {
        List<Revision> out = new ArrayList<>();
        for (Path p : entries) {
            if (!Files.isDirectory(p) && p.getFileName().toString().endsWith(".sql")) {
                out.add(parseBaton(p, read(p)));
            }
        }
        return out;
    }

    static Revision parseBaton(Path file, String text) {
        String[] lines = text.split("\n", -1);
        String id = null;
        List<String> parents = null;
        String message = "";
        boolean transactional = true;
        int downLine = -1;
        boolean inHeader = true;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].strip();
            if (raw.equals(DOWN_MARK)) {
                downLine = i + 1;
                break;
            }
            if (!inHeader) {
                continue;
            }
            if (raw.isEmpty()) {
                continue;
            }
            if (!raw.startsWith("--")) {
                inHeader = false;
                continue;
            }
            String comment = raw.substring(2).strip();
            if (!comment.startsWith("baton:")) {
                continue;
            }
            int space = comment.indexOf(' ');
            String key = (space < 0 ? comment : comment.substring(0, space)).substring("baton:".length());
            String value = space < 0 ? "" : comment.substring(space + 1).strip();
            String where = file + ":" + (i + 1) + ": ";
            switch (key) {
                case "revision" -> {
                    if (!value.matches("[A-Za-z0-9_.-]+")) {
                        throw BatonException.usage(where + "revision id \"" + value
                                + "\" must be letters, digits, '_', '.' or '-'");
                    }
                    id = value;
                }
                case "parents", "parent" -> parents = parseParents(value);
                case "message" -> message = value;
                case "transactional" -> transactional = parseBool(value, where);
                case "down" -> throw new IllegalStateException("handled above");
                default -> throw BatonException.usage(where + "unknown header `-- baton:" + key
                        + "`; expected revision, parents, message, transactional, or the `-- baton:down` marker");
            }
        }
        if (id == null) {
            throw BatonException.usage(file + ":1: no `" + BATON_MARK + " <id>` line in the header");
        }
        if (parents == null) {
            throw BatonException.usage(file + ":1: no `-- baton:parents` line in the header;"
                    + " write `-- baton:parents` with nothing after it for the first revision");
        }
        String upText = downLine < 0 ? text : String.join("\n", java.util.Arrays.copyOfRange(lines, 0, downLine - 1));
        Change.Sql up = new Change.Sql(file, 1, upText);
        Change.Sql down = null;
        if (downLine > 0) {
            String downText = String.join("\n", java.util.Arrays.copyOfRange(lines, downLine, lines.length));
            down = new Change.Sql(file, downLine + 1, downText);
        }
        return new Revision(id, parents, message, file.toString(), checksum(up), transactional, up, down);
    }

    private static List<String> parseParents(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split("[,\\s]+")) {
            if (!part.isEmpty() && !part.equals("base") && !part.equals("none")) {
                out.add(part);
            }
        }
        return out;
    }

    private static boolean parseBool(String value, String where) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw BatonException.usage(where + "expected true or false, got \"" + value + "\"");
        };
    }

    // ---- Linear layouts

    /** One step of a linear layout before parents are assigned. */
    private record Linear(String id, List<Integer> sortKey, String sortName, String message, Path source,
                          Change.Sql up, Change.Sql down, boolean transactional) {}

    private static List<Revision> chain(List<Linear> steps, Comparator<Linear> order) {
        steps.sort(order);
        List<Revision> out = new ArrayList<>();
        String previous = null;
        for (Linear s : steps) {
            List<String> parents = previous == null ? List.of() : List.of(previous);
            out.add(new Revision(s.id(), parents, s.message(), s.source().toString(), checksum(s.up()),
                    s.transactional(), s.up(), s.down()));
            previous = s.id();
        }
        return out;
    }

    private static List<Revision> loadFlyway(List<Path> entries) {
        Map<String, Path> ups = new LinkedHashMap<>();
        Map<String, Path> downs = new LinkedHashMap<>();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (FLYWAY_REPEATABLE.matcher(name).matches()) {
                throw BatonException.usage(p + ": Flyway repeatable migrations (R__) are not supported;"
                        + " turn it into a versioned migration (V<next>__...)");
            }
            Matcher m = FLYWAY.matcher(name);
            if (!m.matches()) {
                continue;
            }
            String version = m.group(2).replace('_', '.');
            Map<String, Path> target = m.group(1).equals("V") ? ups : downs;
            Path clash = target.put(version, p);
            if (clash != null) {
                throw BatonException.usage(p + ": duplicate revision id " + version + ", also in " + clash);
            }
        }
        List<Linear> steps = new ArrayList<>();
        for (Map.Entry<String, Path> e : ups.entrySet()) {
            Path up = e.getValue();
            Matcher m = FLYWAY.matcher(up.getFileName().toString());
            m.matches();
            String upText = read(up);
            Path conf = up.resolveSibling(up.getFileName() + ".conf");
            boolean tx = !noTransaction(upText)
                    && !(Files.isRegularFile(conf) && read(conf).replace(" ", "").contains("executeInTransaction=false"));
            Path downFile = downs.get(e.getKey());
            steps.add(new Linear(e.getKey(), versionKey(e.getKey()), "", m.group(3).replace('_', ' '), up,
                    new Change.Sql(up, 1, upText),
                    downFile == null ? null : new Change.Sql(downFile, 1, read(downFile)), tx));
        }
        for (String v : downs.keySet()) {
            if (!ups.containsKey(v)) {
                throw BatonException.usage(downs.get(v) + ": undo migration for version " + v
                        + " has no V" + v + "__*.sql beside it");
            }
        }
        return chain(steps, Comparator.comparing(Linear::sortKey, RevisionLoader::compareVersions));
    }

    private static List<Revision> loadGolang(List<Path> entries) {
        Map<String, Path[]> pairs = new LinkedHashMap<>();
        for (Path p : entries) {
            Matcher m = GOLANG.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Path[] pair = pairs.computeIfAbsent(m.group(1), k -> new Path[2]);
            int slot = m.group(3).equals("up") ? 0 : 1;
            if (pair[slot] != null) {
                throw BatonException.usage(p + ": duplicate revision id " + m.group(1) + ", also in " + pair[slot]);
            }
            pair[slot] = p;
        }
        List<Linear> steps = new ArrayList<>();
        for (Map.Entry<String, Path[]> e : pairs.entrySet()) {
            Path up = e.getValue()[0];
            Path down = e.getValue()[1];
            if (up == null) {
                throw BatonException.usage(down + ": has no matching " + e.getKey() + "_*.up.sql");
            }
            Matcher m = GOLANG.matcher(up.getFileName().toString());
            m.matches();
            String upText = read(up);
            steps.add(new Linear(e.getKey(), List.of(), "", m.group(2).replace('_', ' '), up,
                    new Change.Sql(up, 1, upText), down == null ? null : new Change.Sql(down, 1, read(down)),
                    !noTransaction(upText)));
        }
        return chain(steps, Comparator.comparing((Linear l) -> new java.math.BigInteger(l.id())));
    }

    private static List<Revision> loadFolders(List<Path> entries) {
        List<Linear> steps = new ArrayList<>();
        for (Path p : entries) {
            if (!Files.isDirectory(p)) {
                continue;
            }
            Path up = p.resolve("up.sql");
            if (!Files.isRegularFile(up)) {
                throw BatonException.usage(p + ": folder has no up.sql; every folder here is one revision");
            }
            String name = p.getFileName().toString();
            int underscore = name.indexOf('_');
            String id = underscore < 0 ? name : name.substring(0, underscore);
            String message = underscore < 0 ? "" : name.substring(underscore + 1).replace('_', ' ');
            Path down = p.resolve("down.sql");
            Path metadata = p.resolve("metadata.toml");
            String upText = read(up);
            boolean tx = !noTransaction(upText) && !(Files.isRegularFile(metadata)
                    && read(metadata).replace(" ", "").contains("run_in_transaction=false"));
            steps.add(new Linear(id, List.of(), name, message, p, new Change.Sql(up, 1, upText),
                    Files.isRegularFile(down) ? new Change.Sql(down, 1, read(down)) : null, tx));
        }
        Map<String, Path> ids = new LinkedHashMap<>();
        for (Linear s : steps) {
            Path clash = ids.put(s.id(), s.source());
            if (clash != null) {
                throw BatonException.usage(s.source() + ": duplicate revision id " + s.id() + ", also in " + clash);
            }
        }
        return chain(steps, Comparator.comparing(Linear::sortName));
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

    // ---- helpers

    /** sqlx's {@code -- no-transaction} first line, or Baton's directive, in any layout. */
    private static boolean noTransaction(String upText) {
        for (String line : upText.split("\n", 20)) {
            String l = line.strip();
            if (l.equals("-- no-transaction") || l.replace(" ", "").equalsIgnoreCase("--baton:transactionalfalse")) {
                return true;
            }
            if (!l.isEmpty() && !l.startsWith("--")) {
                break;
            }
        }
        return false;
    }

    private static List<Integer> versionKey(String version) {
        List<Integer> key = new ArrayList<>();
        for (String part : version.split("\\.")) {
            key.add(Integer.parseInt(part));
        }
        return key;
    }

    private static int compareVersions(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int x = i < a.size() ? a.get(i) : 0;
            int y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    /**
     * SHA-256 over the statements of the up-SQL, so edits to comments and blank lines do not count as
     * changes while any edit to what runs does.
     */
    static String checksum(Change.Sql up) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SqlStatement s : SqlSplitter.split(up.text(), up.file().toString(), up.firstLine())) {
                sha.update(s.sql().replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw BatonException.usage("cannot list migrations folder " + dir + ": " + e.getMessage());
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw BatonException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }
}
