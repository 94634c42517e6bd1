package dev.baton.deploy;

import dev.baton.TextTail;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.router.BuiltinRouter;
import dev.baton.deploy.runtime.ProcessRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in router listens where it was started; baton.yml's {@code router.admin} edited
 * since points where no router answers. Told apart from a router that is not running by its
 * pid file and the address its log says it took.
 */
public final class MovedRouter {
    /** What the router logs once it serves: {@code router: listening on 127.0.0.1:8080, admin on 127.0.0.1:8081, ...}. */
    private static final Pattern STARTED = Pattern.compile("^router: listening on (\\S+), admin on ([^,\\s]+)");

    private MovedRouter() {}

    /**
     * {@code this app's router (pid 4242) answers on 127.0.0.1:8091 (<log>)} when it runs with
     * another admin address than baton.yml's; empty when it does not run, or runs there.
     */
    public static Optional<String> admin(DeployConfig config) {
        Optional<ProcessHandle> router = ProcessRuntime.handle(config.paths().routerPid());
        if (router.isEmpty()) {
            return Optional.empty();
        }
        String admin = null;
        try {
            for (String line : TextTail.lines(config.paths().routerLog(), 50)) {
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    admin = m.group(2);
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // no log to tell
        }
        if (admin == null || BuiltinRouter.listensOn(admin, config.router().admin())) {
            return Optional.empty();
        }
        return Optional.of("this app's router (pid " + router.get().pid() + ") answers on " + admin + " ("
                + config.paths().routerLog() + ")");
    }

    /** The two commands that start the router again on baton.yml's addresses. */
    public static String move(DeployConfig config) {
        return "kill $(cut -d' ' -f1 " + config.paths().routerSupervisorPid() + "), then baton recover";
    }

    public static String address(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
