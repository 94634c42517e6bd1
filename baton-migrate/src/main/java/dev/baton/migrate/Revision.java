package dev.baton.migrate;

import java.util.List;

/**
 * One node of the revision graph.
 *
 * @param id the revision id (Baton: 12 hex digits; Flyway/golang-migrate/folders: the version)
 * @param parents ids this revision follows; empty for a root
 * @param message what the revision does
 * @param source the file, folder or class it came from, for messages
 * @param checksum SHA-256 of the normalised up-SQL, or null when not checkable
 * @param transactional whether it runs inside a transaction
 * @param up the change to apply
 * @param down the change that reverts it, or null if irreversible
 * @param contract whether it is a contract revision: one that removes what the old version may
 *     still use, run in a deploy only after the old version has stopped (expand/contract)
 */
public record Revision(
        String id,
        List<String> parents,
        String message,
        String source,
        String checksum,
        boolean transactional,
        Change up,
        Change down,
        boolean contract) {
    public Revision {
        parents = List.copyOf(parents);
    }

    /** An expand revision (the usual kind: safe while the old version serves). */
    public Revision(String id, List<String> parents, String message, String source, String checksum, boolean transactional,
                    Change up, Change down) {
        this(id, parents, message, source, checksum, transactional, up, down, false);
    }

    /** The same revision marked as a contract revision. */
    public Revision asContract() {
        return new Revision(id, parents, message, source, checksum, transactional, up, down, true);
    }
}
