package dev.baton.cli.deploy;

import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.DeployOutcome;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.config.DeployConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton deploy}: the whole hand-over, step by step. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy the new version of the app in baton.yml, without downtime.", "",
                "Starts the new version beside the running one, waits until it is healthy, migrates",
                "the database, switches traffic, validates, then drains and stops the old one.", "",
                "Steps: Confirm, Gates, Build, DetectActive, StartInfrastructure, LintMigrations,",
                "StartTarget, AwaitHealthy, PublishStatic, Migrate, WarmUp, SwitchTraffic, Verify, Validate,",
                "DrainAndStop, Contract, Cleanup, Release; then Notify, whatever the outcome.", "",
                "LintMigrations runs the pending migrations on a shadow database first: one that would",
                "break or stall the running version stops the deploy before anything starts.", "",
                "If a step fails before DrainAndStop, the steps done are undone newest first: traffic",
                "stays on (or goes back to) the running colour, the new colour is stopped, and the",
                "schema is reverted if traffic never reached the new version. Ctrl-C does the same.",
                "If an undo fails (the router does not answer), the steps before it are left as they",
                "are, so nothing that may be serving is stopped: the console says NOT rolled back.",
                "The full log is in <state_dir>/logs/.", "",
                "The built-in router is started in the background if it is not running (baton proxy).",
                "Only one deploy of an app runs at a time (baton status names the holder).",
                "Reference: docs/deploy.md."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  deployed", "  1  a step failed (the console says which, why, and where the log is)",
                "  2  bad configuration or --confirm", "  3  another deploy holds the lock, the routers of several hosts disagree, or the",
                "     router on router.admin belongs to another baton.yml",
                "  5  deployed: the new version serves, but a step after DrainAndStop failed (Cleanup,",
                "     Release) or state.json could not be written; nothing is undone"})
public final class DeployCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    @Option(names = "--confirm", paramLabel = "TOKEN", description = "the value of confirm: in baton.yml, when it sets one")
    String confirm;

    @Option(names = "--json", description = "print the outcome as JSON on stdout (the step list stays on stderr)")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "more detail, and stack traces for errors")
    boolean verbose;

    public DeployCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DeployConfig cfg = config.read(cli);
        cli.err().println("Deploying " + cfg.app() + " (" + cfg.file() + ")");
        Deployer deployer = Deployments.deployer(cfg, cli.err(), verbose);
        try (ShutdownGuard guard = new ShutdownGuard(cli.err(), "the deploy")) {
            DeployOutcome outcome = deployer.deploy(confirm);
            Summary.print(cli.err(), cfg, outcome, "deploy");
            if (json) {
                cli.out().println(Json.write(Summary.json(cfg, outcome)));
                cli.out().flush();
            }
            return outcome.exitCode().code();
        }
    }

}
