package dev.baton.cli.deploy;

import dev.baton.cli.Cli;
import dev.baton.deploy.config.DeployConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read baton.yml. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "baton.yml", description = "configuration file (default: baton.yml)")
    String file;

    /** baton.yml, read and checked. */
    public DeployConfig read(Cli cli) {
        return Deployments.config(cli, file);
    }
}
