package dev.baton.migrate.internal;

import dev.baton.BatonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The serving version's own queries, checked against the schema a revision leaves before the
 * revision commits: each is prepared ({@code PREPARE}, parameters typed by the server) before
 * the migration, and those that prepare then must prepare again after the revision's statements
 * and before its COMMIT. One that no longer does would fail in the old version the moment the
 * revision commits: the revision is rolled back instead.
 */
public final class ServingQueries {
    /** A query that stopped preparing, and the server's error. */
    public record Broken(String query, String error) {}

    private final List<String> queries;

    private ServingQueries(List<String> queries) {
        this.queries = List.copyOf(queries);
    }

    public static ServingQueries none() {
        return new ServingQueries(List.of());
    }

    /** The queries of a file: SQL statements separated by {@code ;}, parameters as {@code $1}. */
    public static ServingQueries fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw BatonException.usage("serving queries file " + file + " does not exist; give a file of the serving"
                    + " version's SQL queries (one per ;, parameters as $1), or pg_stat_statements");
        }
        List<String> out = new ArrayList<>();
        for (SqlStatement s : SqlSplitter.split(MigrationFiles.read(file), file.toString(), 1)) {
            out.add(s.sql());
        }
        return new ServingQueries(out);
    }

    /**
     * What {@code pg_stat_statements} recorded for this database (reads and writes; the server
     * writes them with {@code $1} parameters). Empty, with a note, where the extension is not there.
     */
    public static ServingQueries fromStatStatements(Connection c, Consumer<String> note) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('pg_stat_statements') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                note.accept("pg_stat_statements is not installed in this database: the serving version's queries are not"
                        + " checked (CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries)");
                return none();
            }
        }
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT s.query FROM pg_stat_statements s"
                + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()"
                + " AND s.query ~* '^\\s*(select|insert|update|delete|with)\\M' AND s.query !~* 'pg_stat_statements|pg_catalog'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return new ServingQueries(out);
    }

    public boolean isEmpty() {
        return queries.isEmpty();
    }

    /** The queries that prepare on the schema as it is now (autocommit): the ones to keep working. */
    public ServingQueries baseline(Connection c) throws SQLException {
        List<String> ok = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String q : queries) {
                try {
                    st.execute("PREPARE baton_serving AS " + q);
                    st.execute("DEALLOCATE baton_serving");
                    ok.add(q);
                } catch (SQLException e) {
                    // it fails already (not this version's, or a leftover): nothing to protect
                }
            }
        }
        return new ServingQueries(ok);
    }

    /** Inside the revision's transaction, before COMMIT: the queries that no longer prepare. */
    public List<Broken> broken(Connection c) throws SQLException {
        List<Broken> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            for (String q : queries) {
                st.execute("SAVEPOINT baton_serving");
                try {
                    st.execute("PREPARE baton_serving AS " + q);
                    st.execute("DEALLOCATE baton_serving");
                    st.execute("RELEASE SAVEPOINT baton_serving");
                } catch (SQLException e) {
                    st.execute("ROLLBACK TO SAVEPOINT baton_serving");
                    out.add(new Broken(q, e.getMessage()));
                }
            }
        }
        return out;
    }

    /** Whether {@code q} reads or returns every column ({@code SELECT *}, {@code RETURNING *}) of {@code table}. */
    public static boolean selectsStar(String q, String table) {
        String u = q.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        String t = table.toLowerCase(Locale.ROOT).replaceFirst("^public\\.", "");
        return u.matches(".*\\b" + Pattern.quote(t) + "\\b.*")
                && (u.matches(".*select (\\w+\\.)?\\*.*") || u.matches(".*returning \\*.*"));
    }

    public List<String> queries() {
        return queries;
    }
}
