package dev.baton.cli.proxy;

import dev.baton.BatonException;
import dev.baton.cli.Cli;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.config.RouterConfig;
import dev.baton.proxy.Route;
import dev.baton.proxy.Router;
import dev.baton.proxy.RouterSettings;
import dev.baton.deploy.config.StatePaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton proxy}: the built-in router in the foreground. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run the built-in router in the foreground until stopped (Ctrl-C or SIGTERM).", "",
                "It forwards requests on router.listen to the active colour's port of each service,",
                "and switches colours when told on its admin endpoint (router.admin, loopback only):",
                "  GET  /status                      active colour, requests in flight per colour",
                "  POST /switch?colour=green         needs Authorization: Bearer <token>", "",
                "The token is router.token, or generated once into <state_dir>/router.token.",
                "The active colour is kept in <state_dir>/router-state.json and survives restarts.", "",
                "With --supervise it runs the router as a child process and starts it again whenever it",
                "dies (it serves its recorded colour again within about a second); baton deploy starts the",
                "router this way when none is running. Under systemd, run it without --supervise and let",
                "systemd restart it (docs/router.md has a unit).", "",
                "BATON_ROUTER_JAVA_OPTS, where baton deploy runs, adds JVM options to the router processes",
                "it starts (e.g. -Xmx256m)."})
public final class ProxyCommand implements Callable<Integer> {
    /** Extra JVM options for the router processes Baton starts (the supervisor, the router, its standby). */
    public static final String JAVA_OPTS = "BATON_ROUTER_JAVA_OPTS";

    private final Cli cli;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "baton.yml", description = "configuration file (default: baton.yml)")
    String config;

    @Option(names = "--supervise", description = "run the router as a child process, started again whenever it dies")
    boolean supervise;

    /** Set by the supervisor: load and warm everything, then start serving when told on stdin. */
    @Option(names = "--standby", hidden = true)
    boolean standby;

    public ProxyCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path file = cli.resolve(config);
        ConfigNode root = ConfigNode.load(file, cli.env());
        if (RouterConfig.type(root).equals("nginx")) {
            throw BatonException.usage("router.type is nginx in " + file.getFileName() + ": nginx is your router,"
                    + " and baton deploy drives it; `baton proxy` runs the builtin router only");
        }
        RouterSettings settings = RouterConfig.read(root, file.toAbsolutePath().getParent());
        if (supervise) {
            // the router's own state file lives in the state folder, beside the pid files
            StatePaths paths = new StatePaths(settings.stateFile().getParent());
            String javaOptions = cli.env().get(JAVA_OPTS);
            return new RouterSupervisor(argv(cli.baton(), file, null, javaOptions), argv(cli.baton(), file, "--standby", javaOptions),
                    paths.routerPid(),
                    cli.err()).run();
        }
        if (standby && !StandbyRouter.awaitTurn(settings, new StatePaths(settings.stateFile().getParent()).standbyWarmUp())) {
            return 0; // the supervisor is gone: nothing to stand by for
        }
        Router router = new Router(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "router-stop"));
        cli.err().println("router: listening on " + settings.listen().getHostString() + ":" + router.publicPort()
                + ", admin on " + settings.admin().getHostString() + ":" + router.adminPort() + ", serving " + router.active());
        for (Route r : settings.routes()) {
            cli.err().println("  " + r.pathPrefix() + " -> " + r.upstreams());
        }
        cli.err().flush();
        router.join();
        return 0;
    }

    /**
     * {@code baton proxy --config <file>} with one more option (or none) and extra JVM options (or null), run
     * by {@code baton} (the Java executable first, then what runs Baton's main class: {@link Cli#baton}).
     */
    public static List<String> argv(List<String> baton, Path config, String option, String javaOptions) {
        List<String> argv = new ArrayList<>();
        argv.add(baton.get(0));
        argv.add("-XX:+UseSerialGC");
        // C1 alone, for all three. The router's C2 code, compiled from hours of the same keep-alive
        // traffic, is thrown away (deoptimized) when a deploy brings what it never saw (new
        // connections, a new upstream), just when the deploy's other processes want the CPU: a
        // warmed router then answered 3-4x slower during a deploy than one on C1, whose code is
        // as fast at moderate rates; C2 serves more only near saturation (docs/benchmarks.md).
        // BATON_ROUTER_JAVA_OPTS comes after: it wins.
        argv.add("-XX:TieredStopAtLevel=1");
        if ("--supervise".equals(option)) {
            // the supervisor only waits for its router: a small heap
            argv.add("-Xmx32m");
        }
        if (javaOptions != null && !javaOptions.isBlank()) {
            argv.addAll(List.of(javaOptions.trim().split("\\s+")));
        }
        argv.addAll(baton.subList(1, baton.size()));
        argv.addAll(List.of("proxy", "--config", config.toString()));
        if (option != null) {
            argv.add(option);
        }
        return argv;
    }
}
