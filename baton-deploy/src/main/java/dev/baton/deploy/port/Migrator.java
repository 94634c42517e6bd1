package dev.baton.deploy.port;

import dev.baton.migrate.LintReport;
import java.util.List;
import java.util.Optional;

/** Brings the shared schema to what the new version needs: the {@code Migrator} port. */
public interface Migrator {
    /** Applied heads now (an empty list for a fresh database); empty when the tool cannot say. */
    Optional<List<String>> current();

    /**
     * Applies what is pending, for the new version running as {@code colour}; returns a short
     * description for the console.
     */
    String upgrade(String colour);

    /** Reverts to {@code before} (what {@link #current} said before the upgrade; empty if it could not say). */
    void revertTo(Optional<List<String>> before);

    /**
     * What the pending migrations would do to the version still serving ({@code baton migrate
     * lint}); empty when this migrator cannot say (a command of the user's own). Changes nothing.
     */
    default Optional<LintReport> lint() {
        return Optional.empty();
    }

    /** What is wrong with the schema after an upgrade; empty when it is at head with the expected tables. */
    List<String> verify();
}
