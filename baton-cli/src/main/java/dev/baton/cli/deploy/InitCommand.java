package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.cli.Cli;
import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.deploy.config.DeployConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton init}: a commented baton.yml to start from. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a commented baton.yml to start from.", "",
                "As written it deploys Baton's demo app from the root of a Baton checkout (see the comments",
                "at its top); change the services, ports and migrations for your app. An existing file is",
                "never overwritten without --force, and with it a copy is kept (baton.yml.bak)."})
public final class InitCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "baton.yml", description = "where to write it (default: baton.yml)")
    String config;

    @Option(names = "--app", paramLabel = "NAME", defaultValue = "demo", description = "the app's name (default: demo)")
    String app;

    @Option(names = "--force", description = "overwrite an existing file (a copy of it is kept as <file>.bak)")
    boolean force;

    public InitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (!DeployConfigReader.validName(app)) {
            throw BatonException.usage("--app \"" + app + "\": use lowercase letters, digits, - and _");
        }
        Path file = cli.resolve(config);
        if (Files.exists(file) && !Files.isRegularFile(file)) { // --force would not help: it replaces a file only
            boolean folder = Files.isDirectory(file);
            throw BatonException.usage(file + " is " + (folder ? "a folder" : "not a file") + "; pass --config with the path"
                    + " of the file to write" + (folder ? ", e.g. --config " + file.resolve("baton.yml") : ""));
        }
        if (Files.exists(file) && !force) {
            throw BatonException.usage(file + " exists; pass --force to overwrite it");
        }
        Path kept;
        Map<String, String> values = DemoWorkspace.defaults();
        values.put("APP", app);
        try {
            // a folder that does not exist yet is made, as `kamal init` makes config/
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            kept = Files.isRegularFile(file) ? keep(file) : null;
            Files.writeString(file, DemoWorkspace.render(values), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BatonException.usage("cannot write " + file + " (" + IoReason.of(e) + "); pass --config with a file in a folder"
                    + " you may write to");
        }
        if (kept != null) {
            cli.err().println("kept the file it replaced as " + kept);
        }
        cli.err().println("wrote " + file + "; next: read its comments, then baton deploy --confirm deploy-" + app);
        return 0;
    }

    /** --force replaces a config someone may have spent a day on: a copy first, beside it, never over an older copy. */
    private static Path keep(Path file) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + ".bak");
        for (int i = 1; Files.exists(copy, LinkOption.NOFOLLOW_LINKS); i++) {
            copy = file.resolveSibling(file.getFileName() + ".bak." + i);
        }
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }
}
