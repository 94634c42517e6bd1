package dev.baton.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The names other migration tools give Baton's options, so that a user who types what they
 * type every day is told Baton's name rather than only "unknown option" (picocli suggests
 * options by spelling, and {@code --database} is not spelled like {@code --url}).
 */
final class OtherToolsOptions {
    /** golang-migrate ({@code -database}, {@code -path}, {@code -source}), sqlx and diesel
     *  ({@code --database-url}, {@code --source}, {@code --migration-dir}), Flyway ({@code -url},
     *  {@code -user}, {@code -password}, {@code -locations}). */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("-database", "--url"), Map.entry("--database", "--url"), Map.entry("--database-url", "--url"),
            Map.entry("-url", "--url"), Map.entry("--db", "--url"), Map.entry("--db-url", "--url"),
            Map.entry("-user", "--user"), Map.entry("-password", "--password"),
            Map.entry("-path", "--dir"), Map.entry("--path", "--dir"), Map.entry("-source", "--dir"),
            Map.entry("--source", "--dir"), Map.entry("--migration-dir", "--dir"), Map.entry("--migrations-dir", "--dir"),
            Map.entry("-locations", "--dir"), Map.entry("--locations", "--dir"));

    private OtherToolsOptions() {}

    /** The line that names Baton's option for the first unknown one another tool spells so, or null. */
    static String hint(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return null;
        }
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        List<String> args = unmatched.getUnmatched();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String ours = NAMES.get(name);
            if (ours != null && spec.findOption(ours) != null) {
                return "Baton's name for " + name + " is " + ours + example(ours) + "; see: " + spec.qualifiedName() + " --help";
            }
        }
        return null;
    }

    private static String example(String option) {
        return switch (option) {
            case "--url" -> " (e.g. --url postgres://user@host:5432/db, or $BATON_DATABASE_URL)";
            case "--dir" -> " (a folder, e.g. --dir db/migrations; Baton reads Flyway's, golang-migrate's, sqlx's and diesel's)";
            default -> "";
        };
    }
}
