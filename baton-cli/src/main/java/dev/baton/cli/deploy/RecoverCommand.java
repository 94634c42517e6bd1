package dev.baton.cli.deploy;

import dev.baton.ExitCode;
import dev.baton.cli.Cli;
import dev.baton.deploy.Recovery;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.state.Journal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton recover}: one command back to a consistent state after a deploy was killed or a router died. */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Bring the app back to one consistent state (after kill -9, a reboot, a dead router, a lost state).", "",
                "For when something went wrong outside a deploy's control: the deploy was killed (kill -9,",
                "a crash, a lost machine), a deploy failed and could not undo itself (its database or router",
                "was gone), the machine rebooted, the router died, or state.json was lost or edited.", "",
                "Under the deploy lock, it:",
                "  - starts each router that is not running (with the colour it last served);",
                "  - after a killed deploy (its journal, <state_dir>/journal.json): if the routers serve the",
                "    colour it switched to and that colour is healthy, records it as active (and finishes the",
                "    drain if the deploy had got that far); otherwise points traffic back at the colour it",
                "    started from, stops what it started, and reverts the schema if traffic never reached it",
                "    (with the down-migrations of the folder that deploy read);",
                "  - after a deploy whose undo failed: finishes that undo the same way, once the cause is fixed;",
                "  - points every router at a colour that runs and answers its health checks; when none does",
                "    and the serving colour's services do not run (a reboot), starts them again as state.json",
                "    recorded them (image and command; today's environment) and waits until they are healthy;",
                "  - makes state.json say what the routers serve.",
                "What it did goes to the audit log: baton history shows a killed deploy as interrupted.", "",
                "baton deploy and baton rollback do the same first when they find something to settle."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  consistent: a healthy colour serves (the console says what was changed), or the app was",
                "     never deployed (nothing runs, nothing is started)",
                "  1  no colour runs and answers its health checks, nor could the serving one be started again:",
                "     fix the cause and run it again, or deploy one (baton deploy)",
                "  2  bad configuration", "  3  another deploy holds the lock"})
public final class RecoverCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    public RecoverCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DeployConfig cfg = config.readToLook(cli);
        cli.err().println("Recovering " + cfg.app());
        Recovery.Report r;
        try (ShutdownGuard guard = new ShutdownGuard(cli.err(), "the recovery")) {
            r = Deployments.deployer(cli, cfg, cli.err(), false).recover();
        }
        if (r.neverDeployed()) {
            cli.err().println(cfg.app() + " has never been deployed: nothing runs and nothing is recorded, so there is"
                    + " nothing to recover (and nothing was started). Deploy a version: baton deploy");
            return 0;
        }
        if (r.serving() == null) {
            cli.err().println("Nothing can serve " + cfg.app() + ": no colour runs and answers its health checks."
                    + (r.journal().filter(Journal::failed).isPresent()
                    ? " Fix what they need (the database?), then run baton recover again: the failed deploy's undo is still owed."
                    : " Deploy a version: baton deploy"));
            return ExitCode.FAILED.code();
        }
        cli.err().println(r.actions().isEmpty() ? "Consistent: " + r.serving() + " serves, and state.json says so. Nothing to do."
                : "Recovered: " + r.serving() + " serves" + r.journal().map(j -> j.failed()
                        ? "; the undo of " + j.kind() + " " + j.release() + " (" + j.how() + ") is finished"
                        : "; the " + j.kind() + " " + j.how() + " is in baton history as interrupted").orElse(""));
        return 0;
    }
}
