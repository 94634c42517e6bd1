package dev.baton.migrate;

import java.util.List;

/**
 * What {@code baton migrate adopt} recorded.
 *
 * @param tool the tool whose history was adopted ({@code Flyway}, {@code golang-migrate}, ...)
 * @param table that tool's history table (left as it was)
 * @param adopted the revisions now recorded as applied, in graph order
 * @param notes what is worth knowing (a baseline, a repeatable the next upgrade runs again)
 * @param pending what the next upgrade applies
 */
public record AdoptReport(String tool, String table, List<String> adopted, List<String> notes, List<Revision> pending) {}
