package dev.baton.migrate.internal.lint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * What the serving version can see of the schema, read from the server's own catalogs at one
 * moment: relations (with the file that holds their rows, to see rewrites), columns,
 * constraints, indexes and enum labels, each by its oid so renames are told from drops.
 */
record Catalog(Map<Long, Relation> relations, Map<String, Column> columns, Map<Long, Constraint> constraints,
               Map<Long, Long> indexes, Map<Long, String> enumLabels) {

    record Relation(long oid, String name, char kind, long filenode) {}

    /** Keyed by {@code relid:attnum}. */
    record Column(long relid, int attnum, String name, String type, boolean notNull, boolean hasDefault) {}

    record Constraint(long oid, long relid, String name, char type, boolean validated, long indexOid) {}

    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    static Catalog read(Connection c) throws SQLException {
        Map<Long, Relation> relations = new HashMap<>();
        Map<String, Column> columns = new HashMap<>();
        Map<Long, Constraint> constraints = new HashMap<>();
        Map<Long, Long> indexes = new HashMap<>();
        Map<Long, String> enums = new HashMap<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT c.oid, n.nspname || '.' || c.relname, c.relkind, c.relfilenode"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'i') AND " + USER_SCHEMAS)) {
                while (rs.next()) {
                    relations.put(rs.getLong(1), new Relation(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0),
                            rs.getLong(4)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
                    + " a.attnotnull, a.atthasdef FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND " + USER_SCHEMAS)) {
                while (rs.next()) {
                    Column col = new Column(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                            rs.getBoolean(6));
                    columns.put(col.relid() + ":" + col.attnum(), col);
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT oid, conrelid, conname, contype, convalidated, conindid"
                    + " FROM pg_constraint WHERE conrelid <> 0")) {
                while (rs.next()) {
                    constraints.put(rs.getLong(1), new Constraint(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            rs.getString(4).charAt(0), rs.getBoolean(5), rs.getLong(6)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT indexrelid, indrelid FROM pg_index")) {
                while (rs.next()) {
                    indexes.put(rs.getLong(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT e.oid, t.typname || '.' || e.enumlabel FROM pg_enum e"
                    + " JOIN pg_type t ON t.oid = e.enumtypid")) {
                while (rs.next()) {
                    enums.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return new Catalog(relations, columns, constraints, indexes, enums);
    }

    /** A table that existed here: the serving version may use it. */
    boolean hasTable(long oid) {
        Relation r = relations.get(oid);
        return r != null && (r.kind() == 'r' || r.kind() == 'p');
    }
}
