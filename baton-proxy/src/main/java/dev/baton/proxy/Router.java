package dev.baton.proxy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.proxy.internal.AdminHandler;
import dev.baton.proxy.internal.AdminToken;
import dev.baton.proxy.internal.ColourRoutes;
import dev.baton.proxy.internal.StateFile;
import dev.baton.proxy.internal.PlainHttp;
import dev.baton.proxy.internal.SwitchingProxyHandler;
import dev.baton.proxy.internal.WebSocketBridge;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The built-in router: listens on the public address and forwards each request to the active
 * colour; an admin endpoint on loopback switches colours atomically. The active colour, and the
 * routes each switch gave its colour, are kept in a state file, so a restarted router comes back
 * serving what it served before, where it served it.
 */
public final class Router implements AutoCloseable {
    private final RouterSettings settings;
    private final AtomicReference<String> active = new AtomicReference<>();
    private final StateFile state;
    private static final Pattern COLOUR = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final Object switchLock = new Object();
    /** Each colour's routes: the configured ones, replaced by those a switch gave (also in {@link #given}). */
    private final Map<String, ColourRoutes> routes = new ConcurrentHashMap<>();
    private final Map<String, ColourRoutes> given = new LinkedHashMap<>();
    private boolean plainHttp;
    private Server publicServer;
    private Server adminServer;
    private SwitchingProxyHandler proxy;
    private WebSocketBridge websockets;

    public Router(RouterSettings settings) {
        if (!settings.admin().getAddress().isLoopbackAddress()) {
            throw BatonException.usage("router.admin: the admin endpoint must listen on a loopback address"
                    + " (127.0.0.1 or ::1), got " + settings.admin().getHostString());
        }
        this.settings = settings;
        this.state = new StateFile(settings.stateFile());
    }

    /** Starts serving; the colour comes from the state file, or the initial colour when there is none. */
    public Router start() {
        StateFile.Stored stored;
        try {
            stored = state.read();
        } catch (IOException e) { // not a bind failure: said as it is, with the way out
            throw new BatonException(ExitCode.FAILED, "the router could not start: " + e.getMessage()
                    + " (baton recover writes it again from state.json)", e);
        }
        try {
            settings.routes().stream().flatMap(r -> r.upstreams().keySet().stream()).distinct().forEach(c -> {
                ColourRoutes configured = ColourRoutes.of(settings.routes(), c);
                if (configured != null) {
                    routes.put(c, configured);
                }
            });
            if (stored != null) {
                given.putAll(stored.routes());
                routes.putAll(stored.routes());
            }
            plainHttp = routes.values().stream().allMatch(ColourRoutes::plain);
            String colour = stored != null ? stored.active() : settings.initialColour();
            checkColour(colour);
            active.set(colour);
            if (stored == null) {
                state.write(colour);
            }
            proxy = new SwitchingProxyHandler(routes::get, plainHttp, active, settings.trustedProxies());
            QueuedThreadPool threads = new QueuedThreadPool(400, 8);
            threads.setName("router");
            publicServer = new Server(threads);
            publicServer.addConnector(connector(publicServer, settings.listen()));
            WebSocketClient wsClient = plainHttp
                    ? new WebSocketClient(PlainHttp.withoutTls(new HttpClient())) : new WebSocketClient();
            publicServer.addBean(wsClient);
            websockets = new WebSocketBridge(proxy, active, wsClient);
            WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(publicServer, c -> c.addMapping("/*", websockets));
            upgrades.setHandler(proxy); // everything that is not a WebSocket upgrade
            publicServer.setHandler(upgrades);
            publicServer.start();
            adminServer = new Server(new QueuedThreadPool(16, 2));
            adminServer.addConnector(connector(adminServer, settings.admin()));
            adminServer.setHandler(new AdminHandler(new AdminToken(settings.token(), settings.tokenFile()), () -> status().toJson(), this::trySwitch,
                    proxy::inFlight));
            adminServer.start();
            return this;
        } catch (BatonException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new BatonException(ExitCode.FAILED, "the router could not start: " + e.getMessage()
                    + (bindFailure(e) ? " (is another process listening on " + settings.listen() + " or " + settings.admin() + "?)" : ""), e);
        }
    }

    private static boolean bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A state file the router cannot read (cut short, edited by hand) keeps it from starting, on
     * purpose: it does not guess which colour serves. Whoever knows (baton recover, from state.json)
     * repairs it here: the damaged file is kept as {@code <name>.broken} and {@code colour} written,
     * or nothing when that is null or not a colour of the routes (the router then starts from its
     * initial colour).
     *
     * @return what was done, for the user; null when the file was fine or absent
     */
    public static String repairStateFile(RouterSettings settings, String colour) throws IOException {
        StateFile file = new StateFile(settings.stateFile());
        try {
            file.read();
            return null;
        } catch (IOException e) {
            // damaged: repaired below
        }
        Path broken = settings.stateFile().resolveSibling(settings.stateFile().getFileName() + ".broken");
        Files.move(settings.stateFile(), broken, StandardCopyOption.REPLACE_EXISTING);
        boolean known = colour != null && ColourRoutes.of(settings.routes(), colour) != null;
        if (known) {
            file.write(colour);
        }
        return settings.stateFile() + " could not be read (kept as " + broken + "); the router starts serving "
                + (known ? colour + ", as state.json says" : "its initial colour, " + settings.initialColour());
    }

    private static ServerConnector connector(Server server, InetSocketAddress address) {
        // no "Server: Jetty(12.x)" header and no "Powered by Jetty" on error pages: a public router names no version
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost(address.getHostString());
        c.setPort(address.getPort());
        c.setIdleTimeout(60_000);
        return c;
    }

    public String active() {
        return active.get();
    }

    /** Requests in flight per colour. */
    public Map<String, Integer> inFlight() {
        Map<String, Integer> out = new TreeMap<>();
        routes.keySet().forEach(c -> out.put(c, 0));
        proxy.counters().forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public RouterStatus status() {
        return new RouterStatus(active(), inFlight(), proxy.served(), websockets.open(),
                settings.listen().getHostString() + ":" + publicPort());
    }

    /** Switches new requests to {@code colour}, with the routes it has, after recording it in the state file. */
    public void switchTo(String colour) {
        switchTo(colour, List.of());
    }

    /**
     * Switches new requests to {@code colour}, sending them by {@code routeSpecs} ({@code "<prefix>
     * <upstream>"} each; none: the routes the colour has), after recording both in the state file.
     */
    public void switchTo(String colour, List<String> routeSpecs) {
        String error = trySwitch(colour, routeSpecs);
        if (error != null) {
            throw BatonException.usage(error);
        }
    }

    private String trySwitch(String colour, List<String> routeSpecs) {
        ColourRoutes table;
        try {
            table = routeSpecs.isEmpty() ? null : ColourRoutes.parse(routeSpecs, !plainHttp);
            if (table == null) {
                checkColour(colour);
            } else if (!COLOUR.matcher(colour).matches()) { // it names a file's entry and a counter: letters, as baton.yml's
                return "colour \"" + colour + "\" is not a colour name: letters, digits, - and _";
            }
        } catch (BatonException | IllegalArgumentException e) {
            return e.getMessage() + (plainHttp && routeSpecs.stream().anyMatch(r -> r.contains("https:"))
                    ? " (this router started with plain HTTP upstreams only; restart it to reach https ones)" : "");
        }
        synchronized (switchLock) {
            Map<String, ColourRoutes> toStore = new LinkedHashMap<>(given);
            if (table != null) {
                toStore.put(colour, table);
            }
            try {
                // state first: if the write fails, nothing switched, and a restart serves what we serve now
                state.write(colour, toStore);
            } catch (IOException e) {
                return "cannot record the switch in " + settings.stateFile() + ": " + IoReason.of(e);
            }
            if (table != null) {
                given.put(colour, table);
                routes.put(colour, table); // before the colour: a request that sees the new colour sees its routes
            }
            active.set(colour);
        }
        return null;
    }

    private void checkColour(String colour) {
        if (!routes.containsKey(colour)) {
            throw BatonException.usage("colour \"" + colour + "\" has no routes; known colours: " + new TreeMap<>(routes).keySet()
                    + " (a switch may give a colour its routes: route=<prefix> <upstream>)");
        }
    }

    /** The routes {@code colour} is served by now ({@code "<prefix> <upstream>"} each), empty for an unknown colour. */
    public List<String> routesOf(String colour) {
        ColourRoutes r = routes.get(colour);
        return r == null ? List.of() : r.specs();
    }

    /** The public port actually bound (useful with port 0). */
    public int publicPort() {
        return ((ServerConnector) publicServer.getConnectors()[0]).getLocalPort();
    }

    public int adminPort() {
        return ((ServerConnector) adminServer.getConnectors()[0]).getLocalPort();
    }

    /** Blocks until the router is stopped. */
    public void join() throws InterruptedException {
        publicServer.join();
    }

    @Override
    public void close() {
        for (Server s : new Server[] {adminServer, publicServer}) {
            if (s != null) {
                try {
                    s.stop();
                } catch (Exception e) {
                    // stopping is best effort; the process is usually about to exit
                }
            }
        }
    }
}
