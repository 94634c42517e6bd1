package dev.baton.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How the built-in router runs.
 *
 * @param listen the public address
 * @param admin the admin address; must be a loopback address
 * @param token the secret a switch request must carry
 * @param routes path prefixes to upstreams, most specific first
 * @param stateFile where the active colour is kept across restarts
 * @param initialColour the colour to serve when the state file does not exist yet
 * @param trustedProxies clients whose X-Forwarded-* headers are kept and appended to (a load
 *     balancer in front); every other client's are replaced
 * @param tokenFile the file the token was read from, which the router reads again when a request
 *     carries another token (it may have been made anew since); null for a configured token
 */
public record RouterSettings(InetSocketAddress listen, InetSocketAddress admin, String token, List<Route> routes,
                             Path stateFile, String initialColour, List<AddressRange> trustedProxies, Path tokenFile) {
    public RouterSettings {
        routes = List.copyOf(routes);
        trustedProxies = List.copyOf(trustedProxies);
    }

    public RouterSettings(InetSocketAddress listen, InetSocketAddress admin, String token, List<Route> routes,
                          Path stateFile, String initialColour, List<AddressRange> trustedProxies) {
        this(listen, admin, token, routes, stateFile, initialColour, trustedProxies, null);
    }

    /** The same settings with another public address. */
    public RouterSettings listeningOn(InetSocketAddress other) {
        return new RouterSettings(other, admin, token, routes, stateFile, initialColour, trustedProxies, tokenFile);
    }

    /** Settings that trust no client's forwarding headers. */
    public RouterSettings(InetSocketAddress listen, InetSocketAddress admin, String token, List<Route> routes,
                          Path stateFile, String initialColour) {
        this(listen, admin, token, routes, stateFile, initialColour, List.of());
    }

    /** The public address as a URL clients can use (a wildcard listen address becomes 127.0.0.1). */
    public URI listenUri() {
        String h = listen.getHostString();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + listen.getPort());
    }

    @Override
    public String toString() {
        return "RouterSettings[listen=" + listen + ", admin=" + admin + ", token=(redacted), routes=" + routes
                + ", stateFile=" + stateFile + ", initialColour=" + initialColour + ", trustedProxies=" + trustedProxies
                + ", tokenFile=" + tokenFile + "]";
    }
}
