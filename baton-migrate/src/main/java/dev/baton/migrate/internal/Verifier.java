package dev.baton.migrate.internal;

import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.Direction;
import dev.baton.migrate.Revision;
import dev.baton.migrate.VerifyReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code verify}: applied revisions match the folder, and the tables a release needs exist. */
public final class Verifier {
    private Verifier() {}

    public static VerifyReport verify(Connection c, HistoryTable table, RevisionGraph graph, List<String> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, AppliedRevision> applied = table.applied(c);
        for (AppliedRevision a : applied.values()) {
            Revision r = graph.contains(a.revision()) ? graph.get(a.revision()) : null;
            if (r == null) {
                problems.add("revision " + a.revision() + " is applied but not in the migrations folder");
            } else if (a.how().ranFile() && !RevisionGraph.isRepeatable(r.id()) && Planner.changed(r, a)) {
                problems.add("revision " + a.revision() + " (" + r.source() + ") changed since it was applied on "
                        + a.appliedAt() + " (checksum " + shortSum(a.checksum()) + " then, " + shortSum(r.checksum()) + " now)");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (String t : tables) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        problems.add("table " + t + " does not exist");
                    }
                }
            }
        }
        return new VerifyReport(Planner.revisionIds(Planner.appliedHeads(applied)), applied.size(), List.copyOf(tables), problems);
    }

    private static String shortSum(String sum) {
        return sum == null ? "none" : sum.substring(0, Math.min(12, sum.length()));
    }
}
