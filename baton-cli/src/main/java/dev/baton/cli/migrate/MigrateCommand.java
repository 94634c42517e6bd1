package dev.baton.cli.migrate;

import dev.baton.cli.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code baton migrate}: the migration engine's verbs. */
@Command(name = "migrate",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Bring the database schema to the revision the code needs.", "",
                "Revisions live in a migrations folder (Baton's own .sql files, Flyway V1__x.sql,",
                "golang-migrate 1_x.up.sql, sqlx 20240101000000_x.sql, or diesel's folder per revision",
                "with up.sql/down.sql, each read by its own tool's rules) and form",
                "a graph: each names its parents; `head` is the newest. Applied revisions are",
                "recorded in a history table (baton_history). One migrator runs at a time.", "",
                "Quick start:",
                "  export BATON_DATABASE_URL=postgres://postgres@127.0.0.1:5432/app",
                "  baton migrate new \"create users\"     # edit the file it prints",
                "  baton migrate upgrade                 # apply everything pending",
                "  baton migrate status                  # what is applied, what is pending", ""},
        subcommands = {CurrentCommand.class, HeadsCommand.class, MigrateHistoryCommand.class, MigrateStatusCommand.class,
                UpgradeCommand.class, DowngradeCommand.class, StampCommand.class, SqlCommand.class,
                VerifyCommand.class, RepairCommand.class, AdoptCommand.class, LintCommand.class, NewCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  BATON_DATABASE_URL       database URL when --url is not given",
                "  BATON_DATABASE_PASSWORD  password when --password is not given", "",
                "Exit codes: 0 ok, 1 a revision failed, 2 bad arguments/config/migration file,",
                "3 the database cannot be used (unreachable, login refused, lock held) or an unexpected",
                "state (applied revision changed or unknown, a revision interrupted: see repair), 4 bug."})
public final class MigrateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
