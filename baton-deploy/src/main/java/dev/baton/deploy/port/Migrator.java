package dev.baton.deploy.port;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.LintReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Brings the shared schema to what the new version needs: the {@code Migrator} port. */
public interface Migrator {
    /** Applied heads now (an empty list for a fresh database); empty when the tool cannot say. */
    Optional<List<String>> current();

    /**
     * Applies what is pending, for the new version running as {@code colour}; returns a short
     * description for the console.
     */
    String upgrade(String colour);

    /**
     * The contract part of the upgrade (expand/contract), run once the old version has stopped;
     * empty when there was nothing to run. {@link #upgrade} runs only the expand part.
     */
    default Optional<String> contract() {
        return Optional.empty();
    }

    /**
     * Contract revisions applied since the schema was at {@code heads} (what a colour was deployed
     * with): that colour's version may use what they removed. Empty when none, or when it cannot say.
     */
    default List<String> contractedSince(List<String> heads) {
        return List.of();
    }

    /** The folder its revisions are read from, recorded in a deploy's journal; empty for a command of the user's own. */
    default Optional<Path> folder() {
        return Optional.empty();
    }

    /**
     * The same migrator reading its revisions from {@code folder}: a recovery reverts with the
     * down-migrations of the deploy it settles, which may not be in today's folder.
     */
    default Migrator readingFrom(Path folder) {
        return this;
    }

    /**
     * Reverts to {@code before} (what {@link #current} said before the upgrade; empty if it could not say).
     *
     * @throws Irreversible when what was applied since cannot be reverted (a revision without a down
     *     migration, a command migrator without a down command): nothing was reverted
     */
    void revertTo(Optional<List<String>> before);

    /**
     * The migration cannot be taken back, by design rather than by failure: a revision has no down
     * migration. Nothing was reverted; the schema is as the upgrade left it.
     */
    final class Irreversible extends BatonException {
        public Irreversible(String message) {
            super(ExitCode.FAILED, message);
        }
    }

    /**
     * What the pending migrations would do to the version still serving ({@code baton migrate
     * lint}); empty when this migrator cannot say (a command of the user's own). Changes nothing.
     */
    default Optional<LintReport> lint() {
        return prepareLint().map(Supplier::get);
    }

    /**
     * {@link #lint} in two parts: what serves and what is pending is read now; the returned lint
     * (a shadow database's work) may run later, on another thread, while the target stays as it
     * is. Empty when this migrator cannot lint.
     */
    default Optional<Supplier<LintReport>> prepareLint() {
        return Optional.empty();
    }

    /**
     * What {@link #upgrade} and {@link #contract} would run, read from the database without changing
     * it; empty when this migrator cannot say (a command of the user's own: see {@link #commands}).
     *
     * @param sql whether to render the SQL too
     */
    default Optional<PendingMigrations> pending(boolean sql) {
        return Optional.empty();
    }

    /** The commands {@link #upgrade} runs for the new version as {@code colour}, for a plan (a command migrator's); runs nothing. */
    default List<Command> commands(String colour) {
        return List.of();
    }

    /** What is wrong with the schema after an upgrade; empty when it is at head with the expected tables. */
    List<String> verify();
}
