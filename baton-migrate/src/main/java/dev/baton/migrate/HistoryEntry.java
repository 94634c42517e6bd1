package dev.baton.migrate;

/** One revision of the folder in graph order, with whether it is applied and whether it is a head. */
public record HistoryEntry(Revision revision, boolean head, AppliedRevision applied) {
    public boolean isApplied() {
        return applied != null;
    }
}
