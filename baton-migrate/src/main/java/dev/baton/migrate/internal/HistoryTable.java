package dev.baton.migrate.internal;

import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.Direction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table recording every upgrade, downgrade and stamp; the applied set is a replay of its rows. */
public final class HistoryTable {
    private final String name;
    private final String quoted;

    public HistoryTable(String name) {
        this.name = name;
        this.quoted = Postgres.quoteQualified(name);
    }

    public String name() {
        return name;
    }

    public String createSql() {
        return "CREATE TABLE IF NOT EXISTS " + quoted + " (\n"
                + "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                + "    revision text NOT NULL,\n"
                + "    parents text NOT NULL,\n"
                + "    description text NOT NULL,\n"
                + "    checksum text,\n"
                + "    direction text NOT NULL CONSTRAINT " + constraintName() + " CHECK (direction IN " + DIRECTIONS + "),\n"
                + "    applied_at timestamptz NOT NULL DEFAULT now(),\n"
                + "    applied_by text NOT NULL,\n"
                + "    execution_ms bigint NOT NULL\n"
                + ")";
    }

    private static final String DIRECTIONS = "('upgrade', 'downgrade', 'stamp', 'unstamp', 'started', 'repaired', 'adopted')";

    /** The direction column's check, named as PostgreSQL names an unnamed one, so tables made by older Batons have it too. */
    private String constraintName() {
        String table = name.substring(name.lastIndexOf('.') + 1);
        return "\"" + table + "_direction_check\"";
    }

    /**
     * A table made by an older Baton allows fewer directions: widen its check so it takes the rows
     * of revisions that run outside a transaction, and of adoption. Run under the migration lock.
     */
    public void upgradeSchema(Connection c) throws SQLException {
        String definition = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND conname = ?")) {
            ps.setString(1, quoted);
            ps.setString(2, name.substring(name.lastIndexOf('.') + 1) + "_direction_check");
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    definition = rs.getString(1);
                }
            }
        }
        if (definition != null && definition.contains("adopted")) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + quoted + (definition == null ? "" : " DROP CONSTRAINT " + constraintName() + ",")
                    + " ADD CONSTRAINT " + constraintName() + " CHECK (direction IN " + DIRECTIONS + ")");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Revisions that began outside a transaction and never finished: a STARTED row with no row
     * for the same revision after it. Oldest first.
     */
    public List<Interrupted> interrupted(Connection c) throws SQLException {
        Map<String, Interrupted> open = new LinkedHashMap<>();
        if (!exists(c)) {
            return List.of();
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT revision, direction, description, applied_at, applied_by FROM " + quoted
                     + " ORDER BY id")) {
            while (rs.next()) {
                String rev = rs.getString(1);
                if (Direction.fromDb(rs.getString(2)) == Direction.STARTED) {
                    String[] description = rs.getString(3).split("; ", 2);
                    Interrupted first = open.get(rev);
                    open.put(rev, first != null
                            ? new Interrupted(rev, first.direction(), first.startedAt(), first.startedBy(),
                                    description.length > 1 ? description[1] : first.progress())
                            : new Interrupted(rev, description[0], rs.getTimestamp(4).toInstant(), rs.getString(5),
                            "no statement finished"));
                } else {
                    open.remove(rev);
                }
            }
        }
        return List.copyOf(open.values());
    }

    /**
     * A revision that was cut off half-way: which, which way it ran ({@code upgrade}/{@code
     * downgrade}), when, by whom, and how far it got ({@code 2 of 5 statements done, the last at
     * V3__x.sql:7}, or {@code no statement finished}).
     */
    public record Interrupted(String revision, String direction, Instant startedAt, String startedBy, String progress) {
        @Override
        public String toString() {
            return direction + " of " + revision + " started at " + startedAt + " by " + startedBy + " never finished ("
                    + progress + ")";
        }
    }

    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, quoted);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public void create(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute(createSql());
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Applied revisions in the order they were applied: replays upgrade/stamp (add) and downgrade/unstamp (remove). */
    public Map<String, AppliedRevision> applied(Connection c) throws SQLException {
        Map<String, AppliedRevision> applied = new LinkedHashMap<>();
        if (!exists(c)) {
            return applied;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT revision, parents, description, checksum, direction, applied_at,"
                     + " applied_by, execution_ms FROM " + quoted + " ORDER BY id")) {
            while (rs.next()) {
                Direction d = Direction.fromDb(rs.getString(5));
                String rev = rs.getString(1);
                if (d == Direction.STARTED) {
                    continue; // not applied until its finishing row
                }
                if (d.applies()) {
                    String parents = rs.getString(2);
                    applied.remove(rev);
                    applied.put(rev, new AppliedRevision(rev,
                            parents.isEmpty() ? List.of() : Arrays.asList(parents.split(",")),
                            rs.getString(3), rs.getString(4), rs.getTimestamp(6).toInstant(), rs.getString(7),
                            rs.getLong(8), d));
                } else {
                    applied.remove(rev);
                }
            }
        }
        return applied;
    }

    /**
     * Marks the start of a revision on the server (a session setting, so it holds with or without a
     * transaction); the history row's execution_ms is the server's time from this mark to the row.
     * A statement that returns no rows, so it can lead a batch.
     */
    public static final String MARK_START = "DO $baton$ BEGIN PERFORM set_config('baton.revision_started',"
            + " clock_timestamp()::text, false); END $baton$";

    private static final String ELAPSED_MS =
            "(extract(epoch FROM clock_timestamp() - current_setting('baton.revision_started')::timestamptz) * 1000)::bigint";

    /** The history row as one statement; every run (batched, statement by statement, script) writes it so. */
    public String insert(Row row) {
        return "INSERT INTO " + quoted
                + " (revision, parents, description, checksum, direction, applied_by, execution_ms) VALUES ("
                + Postgres.literal(row.revision()) + ", " + Postgres.literal(String.join(",", row.parents())) + ", "
                + Postgres.literal(row.description()) + ", " + Postgres.literal(row.checksum()) + ", "
                + Postgres.literal(row.direction().dbName()) + ", " + Postgres.literal(row.appliedBy()) + ", "
                + ELAPSED_MS + ")";
    }

    /** A row to write. */
    public record Row(String revision, List<String> parents, String description, String checksum,
                      Direction direction, String appliedBy) {
        public Row {
            parents = new ArrayList<>(parents);
        }
    }
}
