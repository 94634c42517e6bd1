package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.cli.Cli;
import dev.baton.cli.migrate.ConsoleProgress;
import dev.baton.cli.proxy.ProxyCommand;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.MovedRouter;
import dev.baton.deploy.Wiring;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.migrator.LintCache;
import dev.baton.deploy.pipeline.EventSink;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.probe.PortProbe;
import dev.baton.deploy.router.RouterLauncher;
import dev.baton.deploy.runtime.DetachedProcess;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.deploy.state.DeployState;
import dev.baton.proxy.Router;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;


/** The deploy commands' side of the wiring: reading baton.yml, the console, and starting the built-in router as a process. */
public final class Deployments {
    private Deployments() {}

    public static DeployConfig config(Cli cli, String file) {
        return DeployConfigReader.read(cli.resolve(file), cli.env());
    }

    /** baton.yml for a command that only looks: reading it creates no file. */
    public static DeployConfig configToLook(Cli cli, String file) {
        return DeployConfigReader.readToLook(cli.resolve(file), cli.env());
    }

    /**
     * A deployer that reports on {@code console}: the step list, and migration progress under Migrate;
     * the built-in router, when it must be started, as {@code cli} starts another baton.
     */
    public static Deployer deployer(Cli cli, DeployConfig config, PrintWriter console, boolean verbose) {
        return Wiring.deployer(config, () -> launchRouter(cli, config), new ConsoleProgress(console, verbose, "      "),
                List.of(stepPrinter(console)), LintCache.forUser(cli.env()));
    }

    /** The servers of the config, with the built-in router started by {@link #launchRouter} when needed. */
    public static List<Server> servers(Cli cli, DeployConfig config) {
        return Wiring.servers(config, () -> launchRouter(cli, config));
    }

    /** The step list on the console. */
    private static EventSink stepPrinter(PrintWriter err) {
        return new StepPrinter(err, System.console() != null);
    }

    /**
     * Starts {@code baton proxy --supervise --config <file>} in the background, in a session of its
     * own so it outlives this command: a supervisor that restarts the router whenever it dies. Its
     * output goes to the state folder's {@code logs/router.log}, its pid to
     * {@code run/router-supervisor.pid}, the router's to {@code run/router.pid}. A supervisor that
     * still runs is restarting its router: then nothing is started, and the caller waits for it.
     * {@link ProxyCommand#JAVA_OPTS} of {@code cli}'s environment goes to the routers it starts.
     */
    static Optional<RouterLauncher.Started> launchRouter(Cli cli, DeployConfig config) {
        if (ProcessRuntime.handle(config.paths().routerSupervisorPid()).isPresent()) {
            refuseMovedAdmin(config);
            return Optional.empty();
        }
        repairRouterState(cli, config);
        refuseTakenAddresses(config);
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            argv.add("/usr/bin/setsid");
        }
        String javaOptions = cli.env().get(ProxyCommand.JAVA_OPTS);
        argv.addAll(OwnPriority.normal(ProxyCommand.argv(cli.baton(), config.file(), "--supervise", javaOptions)));
        try {
            long pid = DetachedProcess.start(argv, javaOptions == null ? Map.of() : Map.of(ProxyCommand.JAVA_OPTS, javaOptions),
                    config.dir(), config.paths().routerLog(),
                    config.paths().routerSupervisorPid());
            return Optional.of(new RouterLauncher.Started(pid, config.paths().routerLog()));
        } catch (IOException e) {
            throw BatonException.failed("cannot start the router (" + String.join(" ", argv) + "): " + e.getMessage(), e);
        }
    }

    /**
     * This app's router runs, but not on {@code router.admin}: baton.yml changed since it started,
     * and waiting for it to answer there would wait for ever. Said at once, with the way to move it.
     */
    private static void refuseMovedAdmin(DeployConfig config) {
        MovedRouter.admin(config).ifPresent(moved -> {
            throw BatonException.usage("router.admin is " + MovedRouter.address(config.router().admin()) + " in baton.yml, but "
                    + moved + ": a router's addresses change when it starts again. To move it: " + MovedRouter.move(config)
                    + "; or write the old address back in router.admin");
        });
    }

    /** A router state file that is damaged would keep the router from starting: written again with state.json's colour. */
    private static void repairRouterState(Cli cli, DeployConfig config) {
        String active;
        try {
            active = DeployState.load(config.stateDir()).active();
        } catch (BatonException e) {
            active = null; // a damaged state.json is the recovery's to settle; the router then starts from its initial colour
        }
        try {
            String repaired = Router.repairStateFile(config.router(), active);
            if (repaired != null) {
                cli.err().println("note: " + repaired);
                cli.err().flush();
            }
        } catch (IOException e) {
            throw BatonException.failed("cannot repair the router's state file " + config.router().stateFile() + ": " + IoReason.of(e), e);
        }
    }

    /**
     * Before a router is launched: an address of it that another process listens on would make it
     * fail to bind again and again under its supervisor (seconds) and say so only in its log. Refused
     * at once with what holds it; this config's own router still starting there is not refused.
     */
    private static void refuseTakenAddresses(DeployConfig config) {
        Optional<ProcessHandle> own = ProcessRuntime.handle(config.paths().routerPid());
        List<String> taken = new ArrayList<>();
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        addresses.put("router.listen", config.router().listen());
        addresses.put("router.admin", config.router().admin());
        addresses.forEach((key, address) -> {
            if (inUse(address)) {
                Map<Long, String> who = PortProbe.listeners(new LocalHost(), address.getPort());
                if (own.isEmpty() || !who.containsKey(own.get().pid())) {
                    taken.add(key + " " + address.getHostString() + ":" + address.getPort() + " is taken by " + (who.isEmpty()
                            ? "a process Baton did not start" : who.entrySet().stream().map(e -> e.getValue() + " (pid " + e.getKey() + ")")
                            .collect(Collectors.joining(", "))));
                }
            }
        });
        if (!taken.isEmpty()) {
            throw BatonException.failed(String.join("; ", taken) + "; the router was not started. Stop what listens there, or"
                    + " give the router another address in baton.yml", null);
        }
    }

    /** Whether binding this address fails because something listens on it (not for other reasons, which the router reports). */
    private static boolean inUse(InetSocketAddress address) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the router binds: a port with only closed connections left is free
            s.bind(address);
            return false;
        } catch (BindException e) {
            return String.valueOf(e.getMessage()).contains("in use");
        } catch (IOException e) {
            return false;
        }
    }
}
