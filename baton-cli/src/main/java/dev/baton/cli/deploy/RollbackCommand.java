package dev.baton.cli.deploy;

import dev.baton.cli.Cli;
import dev.baton.deploy.DeployOutcome;
import dev.baton.deploy.config.DeployConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton rollback}: traffic back to the previous colour. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Send traffic back to the previous colour.", "",
                "Traffic goes back to the colour the last deploy replaced, started first (awaited until",
                "healthy, then warmed up when services set warmup:) if it no longer runs. The schema is",
                "left as it is: revert it with baton migrate downgrade if the previous version cannot run",
                "on it. It is refused when contract revisions (expand/contract) ran since the previous",
                "colour was deployed: they removed what it may use. --force goes back anyway.", "",
                "The colour rolled away from keeps running; the next deploy replaces it.", "",
                "A stopped colour is started with the image and command it last ran (state.json records",
                "them), not today's baton.yml, so $${VERSION} and the like need not be set; variables of",
                "the services' environment must be (their values are never stored): where the environment",
                "differs from what the colour ran with (a tag of each value is kept), the rollback is refused",
                "naming the keys, unless --current-env. $${baton.version} in env: is the colour's own version.", "",
                "Steps: RollbackColours, StartIfStopped, AwaitHealthy, WarmUp, SwitchTraffic, Validate;",
                "then Notify, whatever the outcome."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  rolled back", "  1  a step failed (traffic stays where it was)",
                "  2  bad configuration, or the colour to start ran with another environment (see above)",
                "  3  nothing to roll back to, or another deploy holds the lock"})
public final class RollbackCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    @picocli.CommandLine.Option(names = "--force",
            description = "roll back even though contract revisions ran since the previous colour was deployed")
    boolean force;

    @picocli.CommandLine.Option(names = "--current-env",
            description = "start a stopped colour with today's environment where it differs from what it ran with")
    boolean currentEnv;

    public RollbackCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DeployConfig cfg = config.readToLook(cli); // restarts from state.json: a deploy's variables are not needed
        cli.err().println("Rolling back " + cfg.app());
        try (ShutdownGuard guard = new ShutdownGuard(cli.err(), "the rollback")) {
            DeployOutcome outcome = Deployments.deployer(cli, cfg, cli.err(), false).rollback(force, currentEnv);
            Summary.print(cli.err(), cfg, outcome, "rollback");
            return outcome.exitCode().code();
        }
    }
}
