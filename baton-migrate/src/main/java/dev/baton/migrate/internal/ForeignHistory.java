package dev.baton.migrate.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The history tables of the migration tools teams switch from, under their documented names: a
 * database one of them migrated must not be migrated again from the first file by Baton.
 */
public final class ForeignHistory {
    /** Table (as the tool names it, found through the search_path) to the tool. */
    private static final Map<String, String> TABLES = Map.of(
            "flyway_schema_history", "Flyway",
            "schema_migrations", "golang-migrate",
            "__diesel_schema_migrations", "diesel",
            "_sqlx_migrations", "sqlx",
            "alembic_version", "Alembic");

    private ForeignHistory() {}

    /** One line per other tool's history table that has rows: {@code Flyway (flyway_schema_history, 12 rows)}. */
    public static List<String> find(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> t : new java.util.TreeMap<>(TABLES).entrySet()) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT to_regclass('" + t.getKey() + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    continue;
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.getKey())) {
                rs.next();
                long rows = rs.getLong(1);
                if (rows > 0) {
                    out.add(t.getValue() + " (" + t.getKey() + ", " + rows + " row" + (rows == 1 ? "" : "s") + ")");
                }
            }
        }
        return out;
    }
}
