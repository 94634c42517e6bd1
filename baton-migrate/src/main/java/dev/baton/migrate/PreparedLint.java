package dev.baton.migrate;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A lint whose inputs have been read ({@link MigrationEngine#prepareLint}) and whose shadow
 * database's work has not run yet.
 *
 * @param fingerprint a digest of everything the report depends on (every revision's SQL, the
 *     applied revisions, the serving queries, the settings, the shadow's server and its version,
 *     Baton's own build): two lints with the same fingerprint find the same. Empty when that
 *     cannot be said (a Java migration, whose code is not read).
 * @param run makes, observes and drops the shadow database
 */
public record PreparedLint(Optional<String> fingerprint, Supplier<LintReport> run) {}
