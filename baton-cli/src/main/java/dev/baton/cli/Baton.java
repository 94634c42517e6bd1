package dev.baton.cli;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Secrets;
import dev.baton.cli.demo.DemoCommand;
import dev.baton.cli.deploy.DeployCommand;
import dev.baton.cli.deploy.HistoryCommand;
import dev.baton.cli.deploy.InitCommand;
import dev.baton.cli.deploy.RecoverCommand;
import dev.baton.cli.deploy.RollbackCommand;
import dev.baton.cli.deploy.StatusCommand;
import dev.baton.cli.migrate.MigrateCommand;
import dev.baton.cli.proxy.ProxyCommand;
import java.lang.reflect.Constructor;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code baton} command and the wiring of picocli: factory, writers, exit codes. */
@Command(name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Ships a new version of a web application beside the running one, migrates the",
                "database, and hands traffic over without dropping a request.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  ok", "  1  a deploy or migration ran and failed", "  2  bad command line or configuration",
                "  3  unexpected state (a lock is held, an applied revision changed)", "  4  internal error (a bug)",
                "  5  deployed, but a step after the point of no return failed (the new version serves)"})
public final class Baton implements Runnable {
    /** In the order {@code baton --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, DeployCommand.class, StatusCommand.class,
            RollbackCommand.class, RecoverCommand.class, HistoryCommand.class, MigrateCommand.class, ProxyCommand.class,
            DemoCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Runs one command line and returns the exit code. */
    public static int execute(Cli cli, String... args) {
        return commandLine(cli, args.length == 0 ? null : args[0]).execute(args);
    }

    public static CommandLine commandLine(Cli cli) {
        return commandLine(cli, null);
    }

    /**
     * @param first the first argument: when it names a command, only that one is built (picocli
     *     reads every command's annotations up front: 60 ms of each short-lived process); {@code help}
     *     and anything else get them all
     */
    private static CommandLine commandLine(Cli cli, String first) {
        Factory factory = new Factory(cli);
        CommandLine cl = new CommandLine(new Baton(), factory);
        boolean named = !"help".equals(first) && SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(first)); // help names others
        for (Class<?> c : SUBCOMMANDS) {
            if (!named || name(c).equals(first)) {
                try {
                    cl.addSubcommand(factory.create(c));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create " + c.getName(), e);
                }
            }
        }
        cl.setOut(cli.out());
        cl.setErr(cli.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(100); // descriptions are written to lines of up to 100 columns
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.expandedArgs().contains("--verbose") || parseResult.expandedArgs().contains("-v");
            if (e instanceof BatonException b) {
                cli.err().println("error: " + b.getMessage());
                if (verbose && b.getCause() != null) {
                    b.getCause().printStackTrace(cli.err());
                }
                cli.err().flush();
                return b.exitCode().code();
            }
            cli.err().println("internal error (a bug in Baton; please report it with this output): "
                    + Secrets.redact(String.valueOf(e)));
            e.printStackTrace(cli.err());
            cli.err().flush();
            return ExitCode.BUG.code();
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            cli.err().println("error: " + Secrets.redact(plain(e.getMessage())));
            String otherToolsName = OtherToolsOptions.hint(e);
            if (otherToolsName != null) {
                cli.err().println(otherToolsName);
            } else if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.err())) {
                cli.err().println("see: " + failed.getCommandSpec().qualifiedName() + " --help");
            }
            cli.err().flush();
            return ExitCode.USAGE.code();
        });
        return cl;
    }

    /** picocli names Java's types ("'x' is not a long"); a user reads what to write. */
    static String plain(String message) {
        return message == null ? "" : message.replaceAll("is not an? (long|int)\\b", "is not a whole number");
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /** Creates commands, handing {@link Cli} to those whose constructor takes it. */
    private record Factory(Cli cli) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Cli.class);
                c.setAccessible(true);
                return c.newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
