package dev.baton.migrate.internal;

import dev.baton.migrate.Change;
import java.util.List;

/** Renders a plan as the SQL script an upgrade would run, for review or for a DBA to apply. */
public final class ScriptRenderer {
    private ScriptRenderer() {}

    public static String render(HistoryTable table, List<PlannedStep> plan, boolean tableExists, String appliedBy) {
        StringBuilder out = new StringBuilder();
        out.append("-- baton migrate sql: ").append(plan.size()).append(" revision(s)\n");
        if (!tableExists) {
            out.append("\n").append(table.createSql()).append(";\n");
        }
        for (PlannedStep step : plan) {
            var r = step.revision();
            out.append("\n-- Running upgrade ").append(r.parents().isEmpty() ? "<base>" : String.join(", ", r.parents()))
                    .append(" -> ").append(r.id()).append(r.message().isEmpty() ? "" : ": " + r.message())
                    .append(" (").append(r.source()).append(")\n");
            if (step.change() instanceof Change.Java) {
                out.append("-- Java migration ").append(r.source()).append(": its SQL is known only when it runs\n");
                continue;
            }
            if (r.transactional()) {
                out.append("BEGIN;\n");
            } else {
                out.append("-- non-transactional: runs without BEGIN/COMMIT\n");
            }
            out.append(HistoryTable.MARK_START).append("; -- execution_ms counts from here\n");
            for (SqlStatement s : step.statements()) {
                out.append(s.sql()).append(";\n");
            }
            out.append(table.insert(step.row(appliedBy))).append(";\n");
            if (r.transactional()) {
                out.append("COMMIT;\n");
            }
        }
        return out.toString();
    }
}
