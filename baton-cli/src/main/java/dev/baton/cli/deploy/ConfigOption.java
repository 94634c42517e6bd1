package dev.baton.cli.deploy;

import dev.baton.cli.Cli;
import dev.baton.config.ConfigNode;
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

    /**
     * baton.yml for a command that only reads (status, history): variables only a deploy needs
     * (an image's {@code ${VERSION}}) may be unset, and stay as written.
     */
    public DeployConfig readToLook(Cli cli) {
        return Deployments.config(new Cli(cli.out(), cli.err(), ConfigNode.lenient(cli.env()), cli.workDir()), file);
    }
}
