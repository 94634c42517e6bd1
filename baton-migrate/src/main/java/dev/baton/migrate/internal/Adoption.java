package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.ExitCode;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * What {@code baton migrate adopt} takes over from the tool that migrated a database before
 * Baton: that tool's history table, read as the tool writes it, matched to the folder's files
 * (checksums compared where the tool recorded one, computed as that tool computes it). Reads
 * only; the caller records the result. Refuses, naming the reason, a history that is dirty or
 * failed or names a migration no file has.
 */
public final class Adoption {
    /**
     * The revisions to record as applied, in graph order, and what was left for the next upgrade.
     *
     * @param tool the tool, as {@link ForeignHistory} names it
     * @param table its history table
     * @param notes one line per thing worth knowing (a repeatable to re-run, a baseline)
     */
    public record Plan(String tool, String table, List<Revision> revisions, List<String> notes) {}

    private final RevisionGraph graph;
    private final Layout layout;
    private final List<String> notes = new ArrayList<>();

    public Adoption(RevisionGraph graph, Layout layout) {
        this.graph = graph;
        this.layout = layout;
    }

    /** Reads the one other tool's history the database has ({@code from}: which one, when it has several; may be null). */
    public Plan plan(Connection c, String from) throws SQLException {
        List<String> present = ForeignHistory.tablesWithRows(c);
        if (from != null) {
            String table = ForeignHistory.tableOf(from);
            if (!present.contains(table)) {
                throw new BatonException(ExitCode.STATE, "there is no " + ForeignHistory.toolOf(table) + " history ("
                        + table + ") with rows in this database" + (present.isEmpty() ? "" : "; it has " + describe(present)));
            }
            present = List.of(table);
        }
        if (present.isEmpty()) {
            throw new BatonException(ExitCode.STATE, "no other migration tool's history table with rows here (looked for "
                    + String.join(", ", ForeignHistory.tables()) + "): nothing to adopt; a database Baton starts on needs no adoption");
        }
        if (present.size() > 1) {
            throw BatonException.usage("this database has the history of " + describe(present)
                    + "; name the one that migrated it last with --from " + String.join("|", present.stream().map(ForeignHistory::toolOf)
                    .map(t -> t.toLowerCase(Locale.ROOT)).toList()));
        }
        String table = present.get(0);
        Set<String> applied = switch (table) {
            case "flyway_schema_history" -> flyway(c);
            case "schema_migrations" -> golangMigrate(c);
            case "__diesel_schema_migrations" -> diesel(c);
            case "_sqlx_migrations" -> sqlx(c);
            case "alembic_version" -> alembic(c);
            default -> throw new IllegalStateException(table);
        };
        List<Revision> out = new ArrayList<>(graph.inOrder(graph.closure(applied.stream().filter(id -> !RevisionGraph.isRepeatable(id)).toList())));
        graph.repeatables().stream().filter(r -> applied.contains(r.id())).forEach(out::add);
        return new Plan(ForeignHistory.toolOf(table), table, out, List.copyOf(notes));
    }

    private static String describe(List<String> tables) {
        return String.join(" and ", tables.stream().map(t -> ForeignHistory.toolOf(t) + " (" + t + ")").toList());
    }

    private void need(Layout wanted, String tool) {
        if (layout != wanted) {
            throw BatonException.usage("the database was migrated by " + tool + ", but the migrations folder is read as "
                    + layout.configName() + "; point --dir at the folder " + tool + " ran (layout " + wanted.configName() + ")");
        }
    }

    private static BatonException refused(String why) {
        return new BatonException(ExitCode.STATE, "not adopted: " + why + "; nothing was recorded");
    }

    // ---- Flyway: flyway_schema_history, replayed by installed_rank

    private Set<String> flyway(Connection c) throws SQLException {
        need(Layout.FLYWAY, "Flyway");
        Map<List<BigInteger>, Revision> byVersion = new LinkedHashMap<>();
        graph.revisions().forEach(r -> byVersion.put(LinearChain.versionKey(r.id()), r));
        Map<String, Revision> byDescription = new LinkedHashMap<>();
        graph.repeatables().forEach(r -> byDescription.put(r.message(), r));
        Set<String> applied = new LinkedHashSet<>();
        Map<String, Integer> repeatableSums = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, description, type, script, checksum, success"
                     + " FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(3);
                String script = rs.getString(4);
                Integer checksum = (Integer) rs.getObject(5);
                if (!rs.getBoolean(6)) {
                    throw refused("Flyway recorded " + script + " as failed; finish or undo it by hand and run `flyway repair`"
                            + " (or delete its row), then adopt");
                }
                if (type.equals("SCHEMA")) {
                    continue; // Flyway's note that it created the schema
                }
                if (version == null) {
                    Revision r = byDescription.get(rs.getString(2));
                    if (r == null && !type.equals("DELETE")) {
                        throw refused("Flyway applied the repeatable " + script + ", which no R__ file of the folder is");
                    }
                    if (r != null) {
                        repeatableSums.put(r.id(), checksum);
                    }
                    continue;
                }
                List<BigInteger> key = LinearChain.versionKey(version);
                if (type.equals("BASELINE")) {
                    byVersion.forEach((k, r) -> {
                        if (LinearChain.compareVersions(k, key) <= 0) {
                            applied.add(r.id());
                        }
                    });
                    notes.add("Flyway's baseline at version " + version + ": the files up to it are recorded as applied");
                    continue;
                }
                Revision r = byVersion.get(key);
                if (type.equals("DELETE") || type.startsWith("UNDO")) {
                    if (r != null) {
                        applied.remove(r.id());
                    }
                    continue;
                }
                if (r == null) {
                    throw refused("Flyway applied version " + version + " (" + script + "), which no file of the folder is;"
                            + " restore it, or adopt with the folder that Flyway ran");
                }
                if (checksum != null && type.equals("SQL") && checksum != flywayChecksum(raw(r)))  {
                    throw refused(r.source() + " is not what Flyway applied as version " + version + " (Flyway's checksum "
                            + checksum + " then, " + flywayChecksum(raw(r)) + " now); restore the file, or run `flyway repair`"
                            + " if the edit is deliberate");
                }
                applied.add(r.id());
            }
        }
        repeatableSums.forEach((id, sum) -> {
            Revision r = graph.get(id);
            if (sum != null && sum == flywayChecksum(((Change.Sql) r.up()).text())) {
                applied.add(id);
            } else {
                notes.add(r.source() + " changed since Flyway last ran it: the next upgrade runs it again, as Flyway would");
            }
        });
        return applied;
    }

    /** Flyway's checksum: CRC-32 over each line's UTF-8 bytes without its line break, a leading BOM dropped. */
    static int flywayChecksum(String text) {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
            String line = lines.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = lines.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    private static String raw(Revision r) {
        Path file = ((Change.Sql) r.up()).file();
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw BatonException.usage("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    // ---- golang-migrate: schema_migrations, one row (version, dirty)

    private Set<String> golangMigrate(Connection c) throws SQLException {
        if (!hasColumn(c, "schema_migrations", "dirty")) {
            throw refused("schema_migrations has no dirty column, so golang-migrate did not write it (Rails and others use"
                    + " the name too)");
        }
        need(Layout.GOLANG_MIGRATE, "golang-migrate");
        long version;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version, dirty FROM schema_migrations")) {
            rs.next();
            version = rs.getLong(1);
            if (rs.getBoolean(2)) {
                throw refused("golang-migrate left version " + version + " dirty (it failed half-way); fix the database by"
                        + " hand, then `migrate force " + version + "` (or the version before it), and adopt");
            }
            if (rs.next()) {
                throw refused("schema_migrations has more than one row, which golang-migrate never writes");
            }
        }
        Set<String> applied = new LinkedHashSet<>();
        boolean found = false;
        for (Revision r : graph.revisions()) {
            int cmp = new BigInteger(r.id()).compareTo(BigInteger.valueOf(version));
            if (cmp <= 0) {
                applied.add(r.id());
            }
            found |= cmp == 0;
        }
        if (!found) {
            throw refused("golang-migrate is at version " + version + ", which no file of the folder is");
        }
        return applied;
    }

    // ---- diesel: __diesel_schema_migrations (version, run_on)

    private Set<String> diesel(Connection c) throws SQLException {
        need(Layout.FOLDERS, "diesel");
        Map<String, Revision> byVersion = new LinkedHashMap<>();
        graph.revisions().forEach(r -> byVersion.put(r.id().replace("-", ""), r));
        Set<String> applied = new LinkedHashSet<>();
        for (String version : column(c, "SELECT version FROM __diesel_schema_migrations ORDER BY version")) {
            Revision r = byVersion.get(version);
            if (r == null) {
                throw refused("diesel applied version " + version + ", which no folder of the migrations folder is");
            }
            applied.add(r.id());
        }
        return applied;
    }

    // ---- sqlx: _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)

    private Set<String> sqlx(Connection c) throws SQLException {
        need(Layout.SQLX, "sqlx");
        Set<String> applied = new LinkedHashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")) {
            while (rs.next()) {
                String version = Long.toString(rs.getLong(1));
                if (!rs.getBoolean(2)) {
                    throw refused("sqlx recorded version " + version + " as not successful (dirty); fix the database by hand"
                            + " and delete that row of _sqlx_migrations, then adopt");
                }
                Revision r = graph.get(version);
                if (r == null) {
                    throw refused("sqlx applied version " + version + ", which no file of the folder is");
                }
                byte[] now = sha384(bytes(((Change.Sql) r.up()).file()));
                if (!Arrays.equals(rs.getBytes(3), now)) {
                    throw refused(r.source() + " is not what sqlx applied as version " + version + " (its SHA-384 differs);"
                            + " restore the file");
                }
                applied.add(r.id());
            }
        }
        return applied;
    }

    static byte[] sha384(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Alembic: alembic_version (version_num), one row per applied head

    private Set<String> alembic(Connection c) throws SQLException {
        Set<String> applied = new LinkedHashSet<>();
        for (String head : column(c, "SELECT version_num FROM alembic_version")) {
            if (!graph.contains(head) || RevisionGraph.isRepeatable(head)) {
                throw refused("Alembic is at revision " + head + ", which no revision of the folder is (Baton matches"
                        + " Alembic's revision ids to revisions with the same id)");
            }
            applied.add(head);
        }
        return applied;
    }

    // ---- helpers

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
