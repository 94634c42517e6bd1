package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens PostgreSQL sessions for the engine. */
public final class Postgres {
    private Postgres() {}

    /** A session named {@code baton-migrate (<role>)} in pg_stat_activity, so lock holders are identifiable. */
    public static Connection connect(DatabaseUrl db, String role) {
        if (db == null) {
            throw BatonException.usage("no database given; pass --url (jdbc:postgresql://... or postgres://...),"
                    + " set BATON_DATABASE_URL, or set migrations.url in baton.yml");
        }
        try {
            Connection c = db.open("baton-migrate " + role + " pid " + ProcessHandle.current().pid());
            try (Statement st = c.createStatement()) {
                // lets the server notice a killed client during a long statement instead of finishing it
                if (c.getMetaData().getDatabaseMajorVersion() >= 14) {
                    st.execute("SET client_connection_check_interval = '1s'");
                }
            }
            return c;
        } catch (SQLException e) {
            // exit 3, as for a deploy: the database is not there for the command (nothing ran), not a failed revision
            throw new BatonException(ExitCode.STATE, "cannot connect to " + db.display() + ": "
                    + db.whyNot(e, "check --url/--user/--password (or BATON_DATABASE_URL) and that the server is running"), e);
        }
    }

    /** Quotes a possibly schema-qualified identifier after checking it is a plain name. */
    public static String quoteQualified(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw BatonException.usage("history table name \"" + name + "\" must be a plain name such as"
                    + " baton_history or schema.baton_history");
        }
        StringBuilder out = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append('"').append(part).append('"');
        }
        return out.toString();
    }

    /** A literal for generated SQL scripts. */
    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
