package dev.baton.deploy;

import java.util.List;

/** Brings the shared schema to what the new version needs: the {@code Migrator} port. */
public interface Migrator {
    /** Applied heads now (empty for a fresh database); null when the tool cannot say. */
    List<String> current();

    /**
     * Applies what is pending, for the new version running as {@code colour}; returns a short
     * description for the console.
     */
    String upgrade(String colour);

    /** Reverts to {@code before} (as returned by {@link #current} before the upgrade). */
    void revertTo(List<String> before);

    /** What is wrong with the schema after an upgrade; empty when it is at head with the expected tables. */
    List<String> verify();
}
