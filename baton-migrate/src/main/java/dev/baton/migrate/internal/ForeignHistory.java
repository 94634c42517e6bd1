package dev.baton.migrate.internal;

import dev.baton.BatonException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The history tables of the migration tools teams switch from, under their documented names: a
 * database one of them migrated must not be migrated again from the first file by Baton (it is
 * adopted instead: {@link Adoption}).
 */
public final class ForeignHistory {
    /** Table (as the tool names it, found through the search_path) to the tool, in a stable order. */
    private static final Map<String, String> TABLES = new TreeMap<>(Map.of(
            "flyway_schema_history", "Flyway",
            "schema_migrations", "golang-migrate",
            "__diesel_schema_migrations", "diesel",
            "_sqlx_migrations", "sqlx",
            "alembic_version", "Alembic"));

    private ForeignHistory() {}

    public static List<String> tables() {
        return List.copyOf(TABLES.keySet());
    }

    public static String toolOf(String table) {
        return TABLES.get(table);
    }

    /** The table of a tool named as {@code --from} takes it (flyway, golang-migrate, diesel, sqlx, alembic). */
    public static String tableOf(String tool) {
        for (Map.Entry<String, String> t : TABLES.entrySet()) {
            if (t.getValue().toLowerCase(Locale.ROOT).equals(tool.toLowerCase(Locale.ROOT))) {
                return t.getKey();
            }
        }
        throw BatonException.usage("--from takes flyway, golang-migrate, diesel, sqlx or alembic, not " + tool);
    }

    /** One line per other tool's history table that has rows: {@code Flyway (flyway_schema_history, 12 rows)}. */
    public static List<String> find(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String table : tablesWithRows(c)) {
            long rows = rows(c, table);
            out.add(TABLES.get(table) + " (" + table + ", " + rows + " row" + (rows == 1 ? "" : "s") + ")");
        }
        return out;
    }

    /** The tools' history tables that exist and have rows. */
    public static List<String> tablesWithRows(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String table : TABLES.keySet()) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    continue;
                }
            }
            if (rows(c, table) > 0) {
                out.add(table);
            }
        }
        return out;
    }

    private static long rows(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
