package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.DeployOutcome;
import dev.baton.deploy.DeployPlan;
import dev.baton.deploy.DeployVersion;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.config.DeployConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton deploy}: the whole hand-over, step by step. */
@Command(name = "deploy",
        description = {"Deploy the new version of the app in baton.yml, without downtime.", "",
                "Starts the new version beside the running one, waits until it is healthy, migrates",
                "the database, switches traffic, validates, then drains and stops the old one.", "",
                "Steps: Confirm, Gates, Build, DetectActive, StartInfrastructure, LintMigrations, Ship,",
                "StartTarget, AwaitHealthy, PublishStatic, Migrate, WarmUp, SwitchTraffic, Verify, Validate,",
                "DrainAndStop, Contract, Cleanup, Release; then Notify, whatever the outcome.", "",
                "LintMigrations runs the pending migrations on a shadow database while the new version",
                "starts: one that would break or stall the running version stops the deploy before Migrate.", "",
                "If a step fails before DrainAndStop, the steps done are undone newest first: traffic",
                "stays on (or goes back to) the running colour, the new colour is stopped, and the",
                "schema is reverted if traffic never reached the new version. Ctrl-C does the same.",
                "If an undo fails (the router does not answer), the steps before it are left as they",
                "are, so nothing that may be serving is stopped: the console says NOT rolled back.",
                "The full log is in <state_dir>/logs/.", "",
                "The built-in router is started in the background if it is not running (baton proxy).",
                "Only one deploy of an app runs at a time (baton status names the holder).", "",
                "Every deploy ships a version: --version, else BATON_VERSION, else the git commit of",
                "baton.yml's folder (-dirty when tracked files changed), else the time. baton.yml can use it",
                "as $${baton.version} (e.g. image: shop:$${baton.version}); state, history, status, the",
                "release tag ({version}) and the notices record it.",
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

    @Option(names = "--version", paramLabel = "VERSION", description = "the version this deploy ships, e.g. 1.4.2"
            + " (default: BATON_VERSION, else the git commit, else the time); baton --version prints Baton's")
    String version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--plan", description = "print what the deploy would do, step by step (commands and hosts, colours"
            + " and ports, pending migrations, the lint, the router change), and change nothing: no lock, no start,"
            + " no switch, nothing written but the lint's verdict (kept an hour in ~/.cache/baton/lint: a deploy of the"
            + " same migrations reuses it). With --json, as JSON")
    boolean plan;

    @Option(names = "--sql", description = "with --plan: the SQL the migrations would run")
    boolean sql;

    public DeployCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (sql && !plan) {
            throw BatonException.usage("--sql goes with --plan: baton deploy --plan --sql");
        }
        DeployVersion v = config.version(cli, version);
        DeployConfig cfg = config.read(cli, v, plan);
        if (plan) {
            DeployPlan p = Deployments.deployer(cli, cfg, cli.err(), verbose).plan(confirm, sql);
            cli.out().print(json ? Json.write(p.toMap()) + "\n" : PlanPrinter.text(p, v.source()));
            cli.out().flush();
            return 0;
        }
        cli.err().println("Deploying " + cfg.app() + " " + v.value() + " (" + cfg.file() + "; version from " + v.source() + ")");
        Deployer deployer = Deployments.deployer(cli, cfg, cli.err(), verbose);
        if (cli.ownProcess() && cfg.services().values().stream().anyMatch(s -> s.startLow())) {
            // this process, from then on below the version serving, as the colour it starts (not so
            // inside another program, as in the demo, whose load generator stands for the users, or
            // the tests); back to normal once traffic has moved, as that colour is
            boolean[] lowered = {false};
            deployer.beforeTargetStarts(() -> lowered[0] = OwnPriority.lower());
            deployer.afterTrafficMoves(() -> {
                if (lowered[0]) {
                    OwnPriority.raise();
                }
            });
        }
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
