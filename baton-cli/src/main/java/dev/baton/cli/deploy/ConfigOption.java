package dev.baton.cli.deploy;

import dev.baton.cli.Cli;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.DeployVersion;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.local.LocalHost;
import java.nio.file.Path;
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
     * baton.yml for a deploy of {@code version}: {@code ${baton.version}} is its value.
     *
     * @param toLook for a plan: reading it creates no file
     */
    public DeployConfig read(Cli cli, DeployVersion version, boolean toLook) {
        Cli withVersion = cli.withEnv(version.into(cli.env()));
        return toLook ? Deployments.configToLook(withVersion, file) : Deployments.config(withVersion, file);
    }

    /** The version a deploy ships: {@code explicit} (--version), else BATON_VERSION, else the git commit of the config's folder, else the time. */
    public DeployVersion version(Cli cli, String explicit) {
        Path dir = cli.resolve(file).toAbsolutePath().getParent();
        return DeployVersion.resolve(explicit, cli.env(), dir, new LocalHost());
    }

    /**
     * baton.yml for a command that only reads (status, history): variables only a deploy needs
     * (an image's {@code ${VERSION}}) may be unset, and stay as written.
     */
    public DeployConfig readToLook(Cli cli) {
        return Deployments.config(cli.withEnv(ConfigNode.lenient(cli.env())), file);
    }

    /** As {@link #readToLook}, for a command that changes nothing (status, history): reading creates no file either. */
    public DeployConfig readToShow(Cli cli) {
        return Deployments.configToLook(cli.withEnv(ConfigNode.lenient(cli.env())), file);
    }
}
