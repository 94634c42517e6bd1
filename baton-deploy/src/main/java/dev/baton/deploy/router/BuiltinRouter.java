package dev.baton.deploy.router;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.TextTail;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.RouterView;
import dev.baton.deploy.port.TrafficRouter;
import dev.baton.proxy.RouterClient;
import dev.baton.proxy.RouterSettings;
import dev.baton.proxy.RouterStatus;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;


/**
 * The built-in router (baton-proxy), driven over its admin endpoint. When it is not running,
 * {@code launcher} starts it (the CLI runs {@code baton proxy} in the background).
 */
public final class BuiltinRouter implements TrafficRouter {
    /** Generous: a busy machine starts JVMs slowly, and the wait ends as soon as the router answers. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private final RouterSettings settings;
    private final RouterClient client;
    private final RouterLauncher launcher;

    /** @param launcher starts it when none answers; null when a supervisor of the user's (systemd) does */
    public BuiltinRouter(RouterSettings settings, RouterLauncher launcher) {
        this.settings = settings;
        this.client = new RouterClient(URI.create("http://" + host(settings.admin().getHostString()) + ":"
                + settings.admin().getPort()), settings.token() == null || settings.token().isEmpty() ? null : settings.token()); // none yet: status asks unauthenticated
        this.launcher = launcher;
    }

    @Override
    public void ensureRunning() {
        if (client.isRunning()) {
            refuseMovedListen(client.status().listen());
            return;
        }
        Optional<RouterLauncher.Started> started = launcher != null ? launcher.launch() : Optional.empty();
        try {
            Wait.of("the router", START_DEADLINE, Duration.ofMillis(50)).until(() -> {
                if (client.isRunning()) {
                    return Probe.ok();
                }
                if (started.isPresent() && ProcessHandle.of(started.get().pid()).filter(ProcessHandle::isAlive).isEmpty()) {
                    throw exitedBeforeAnswering(started.get());
                }
                return Probe.notYet("no answer on " + adminAddress());
            });
        } catch (Wait.TimedOut e) {
            throw new BatonException(ExitCode.FAILED, "the router did not answer on " + adminAddress()
                    + " within " + START_DEADLINE.toSeconds() + " s" + (launcher != null ? " of being started; see its log"
                    + started.map(s -> " " + s.log()).orElse("")
                    : "; router.start is external, so Baton does not start it: start it (systemctl start ...) and see its log"));
        }
    }

    /**
     * A router listens where it was started: with router.listen edited since, a deploy would
     * validate (and users would look) where nothing listens. Said before anything starts.
     */
    private void refuseMovedListen(String listening) {
        if (listening == null) {
            return; // a router from before routers said where they listen
        }
        InetSocketAddress wanted = settings.listen();
        if (!listensOn(listening, wanted)) {
            throw BatonException.usage("router.listen is " + wanted.getHostString() + ":" + wanted.getPort() + " in baton.yml, but"
                    + " the router (admin " + adminAddress() + ") listens on " + listening + ": a router's address changes when it"
                    + " starts again, which refuses connections for a moment. To move it: " + (launcher == null
                    ? "restart it as your supervisor does (router.start: external), e.g. systemctl restart <its unit>"
                    : "kill $(cut -d' ' -f1 " + new StatePaths(settings.stateFile().getParent()).routerSupervisorPid()
                    + "), then baton recover (it starts the router on the new address)") + "; or write " + listening
                    + " back in router.listen");
        }
    }

    /** Whether a router that says it listens on {@code listening} ({@code host:port}; null: it does not say) listens on {@code wanted}. */
    public static boolean listensOn(String listening, InetSocketAddress wanted) {
        if (listening == null) {
            return true;
        }
        int colon = listening.lastIndexOf(':');
        InetSocketAddress actual;
        try {
            actual = new InetSocketAddress(listening.substring(0, colon), Integer.parseInt(listening.substring(colon + 1)));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return true; // not an address: nothing to compare
        }
        return actual.getPort() == wanted.getPort() && (actual.isUnresolved() || wanted.isUnresolved()
                ? actual.getHostString().equals(wanted.getHostString()) : actual.getAddress().equals(wanted.getAddress()));
    }

    private String adminAddress() {
        return settings.admin().getHostString() + ":" + settings.admin().getPort();
    }

    /** The router's process ended before it answered (it could not start, or its port is taken): its log says why. */
    private BatonException exitedBeforeAnswering(RouterLauncher.Started started) {
        StringBuilder msg = new StringBuilder("the router exited before it answered on " + adminAddress()
                + "; last lines of " + started.log() + ":");
        try {
            TextTail.lines(started.log(), 10).forEach(l -> msg.append("\n    ").append(l));
        } catch (IOException e) {
            msg.append(" (unreadable: ").append(IoReason.of(e)).append(')');
        }
        return new BatonException(ExitCode.FAILED, msg.toString());
    }

    @Override
    public String active() {
        return restoring(() -> client.status().active());
    }

    @Override
    public void switchTo(String colour) {
        // with the colour's routes from baton.yml: where it was started (a serving colour's are checked to be unchanged)
        String now = restoring(() -> client.switchTo(colour, settings.routes())).active();
        if (!now.equals(colour)) {
            throw new BatonException(ExitCode.FAILED, "the router still serves " + now + " after switching to " + colour);
        }
    }

    @Override
    public String describeSwitch(String colour) {
        return "the built-in router (admin " + settings.admin().getHostString() + ":" + settings.admin().getPort() + ") sends new requests to " + colour
                + " (POST /switch with its routes: " + routesOf(colour) + "; its state file is written first)";
    }

    @Override
    public int inFlight(String colour) {
        return restoring(() -> client.status()).inFlight().getOrDefault(colour, 0);
    }

    @Override
    public int drain(String colour, Duration deadline) {
        // the router waits itself: no polling over HTTP. If it died meanwhile, what was in flight died with it
        return restoring(() -> client.drain(colour, deadline));
    }

    /**
     * A router that died (its supervisor is starting it again, or none runs) is restored before a
     * deploy goes on or undoes: the call is made once more when it answers again. Every call here
     * can be repeated (a switch to the colour already served, a drain of a colour with nothing in flight).
     */
    private <T> T restoring(Supplier<T> call) {
        try {
            return call.get();
        } catch (BatonException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e; // it answered, and said no
            }
            ensureRunning();
            return call.get();
        }
    }

    @Override
    public RouterView view() {
        try {
            RouterStatus s = client.status();
            return new RouterView("builtin", true, s.active(), s.inFlight(), s.served(), null, s.listen());
        } catch (BatonException e) {
            // exit 3: something answers there, but it is not this config's router
            return RouterView.notRunning("builtin", e.exitCode() == ExitCode.STATE ? e.getMessage() : null);
        }
    }

    @Override
    public URI publicUri() {
        return settings.listenUri();
    }

    private String routesOf(String colour) {
        return String.join(", ", settings.routes().stream().filter(r -> r.upstreams().containsKey(colour))
                .map(r -> r.pathPrefix() + " → " + r.upstreams().get(colour)).toList());
    }

    private static String host(String h) {
        if (h.equals("0.0.0.0") || h.equals("::")) {
            return "127.0.0.1";
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
