package dev.baton.migrate;

import java.util.List;

/** What {@code verify} found wrong; empty means the database matches the folder. */
public record VerifyReport(List<String> current, int checkedRevisions, List<String> checkedTables,
                           List<String> problems) {
    public boolean ok() {
        return problems.isEmpty();
    }
}
