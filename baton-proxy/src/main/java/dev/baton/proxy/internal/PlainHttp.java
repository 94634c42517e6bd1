package dev.baton.proxy.internal;

import dev.baton.proxy.Route;
import java.util.List;
import org.eclipse.jetty.client.AbstractConnectorHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's clients start a TLS context with their connector whether or not they will ever speak
 * TLS: loading the JDK's security providers, cipher suites and EdDSA tables, about a quarter of
 * a router's start-up CPU. A router whose upstreams are all plain HTTP (Baton's colours) leaves
 * it unstarted; one with an https upstream keeps Jetty's default.
 */
public final class PlainHttp {
    private PlainHttp() {}

    /** Whether every upstream of {@code routes} is plain HTTP (or WebSocket without TLS). */
    public static boolean only(List<Route> routes) {
        return routes.stream().flatMap(r -> r.upstreams().values().stream())
                .allMatch(u -> "http".equalsIgnoreCase(u.getScheme()));
    }

    /** {@code client}, whose connector will not start a TLS context (an https request to it fails). */
    public static HttpClient withoutTls(HttpClient client) {
        if (client.getTransport() instanceof AbstractConnectorHttpClientTransport t) {
            ClientConnector connector = t.getClientConnector();
            SslContextFactory.Client unused = new SslContextFactory.Client();
            connector.setSslContextFactory(unused);
            connector.unmanage(unused);
        }
        return client;
    }
}
