package dev.baton.cli.proxy;

import dev.baton.BatonException;
import dev.baton.cli.Cli;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.config.RouterConfig;
import dev.baton.proxy.Route;
import dev.baton.proxy.Router;
import dev.baton.proxy.RouterSettings;
import java.nio.file.Path;
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
                "The active colour is kept in <state_dir>/router-state.json and survives restarts."})
public final class ProxyCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "baton.yml", description = "configuration file (default: baton.yml)")
    String config;

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
}
