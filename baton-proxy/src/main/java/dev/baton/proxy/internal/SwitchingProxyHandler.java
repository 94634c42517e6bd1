package dev.baton.proxy.internal;

import dev.baton.proxy.AddressRange;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * Jetty's reverse proxy with the upstream chosen once, when a request arrives, from the colour
 * active at that moment. A switch therefore affects only requests that arrive after it; those
 * already in flight finish on the colour they started on, and are counted per colour until
 * their response is complete, so a deploy can wait for the old colour to drain.
 */
public final class SwitchingProxyHandler extends ProxyHandler.Reverse {
    private static final String TARGET = SwitchingProxyHandler.class.getName() + ".target";

    private final Function<String, ColourRoutes> routes;
    private final boolean plainHttp;
    private final AtomicReference<String> active;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final List<AddressRange> trustedProxies;

    /**
     * @param routes each colour's routes now (null for a colour without)
     * @param plainHttp whether every upstream is plain HTTP (the client then starts no TLS)
     */
    public SwitchingProxyHandler(Function<String, ColourRoutes> routes, boolean plainHttp, AtomicReference<String> active,
                                 List<AddressRange> trustedProxies) {
        super(request -> (HttpURI) request.getAttribute(TARGET));
        this.routes = routes;
        this.plainHttp = plainHttp;
        this.active = active;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String colour = active.get();
        // routed and forwarded on the normalised path: /api/../admin is /admin, not a request for the api service
        String path = request.getHttpURI().getCanonicalPath();
        if (path == null) {
            Response.writeError(request, response, callback, 400, "the path leaves the root");
            return true;
        }
        URI base = upstream(path, colour);
        if (base == null) {
            Response.writeError(request, response, callback, 404, "no route for this path");
            return true;
        }
        request.setAttribute(TARGET, HttpURI.build(request.getHttpURI()).scheme(base.getScheme())
                .host(base.getHost()).port(base.getPort()).path(URIUtil.encodePath(path)).asImmutable());
        AtomicInteger counter = inFlight.computeIfAbsent(colour, c -> new AtomicInteger());
        counter.incrementAndGet();
        Callback counted = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                counter.decrementAndGet();
                served.incrementAndGet();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                counter.decrementAndGet();
                super.failed(x);
            }
        };
        boolean handled = super.handle(request, response, counted);
        if (!handled) {
            counter.decrementAndGet();
        }
        return handled;
    }

    /** The upstream of the route that matches {@code path}, for {@code colour}; null when none matches. */
    public URI upstream(String path, String colour) {
        ColourRoutes r = routes.apply(colour);
        return r == null ? null : r.upstream(path == null ? "/" : path);
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String remote = Request.getRemoteAddr(clientToProxyRequest);
        boolean trusted = ForwardedHeaders.trusted(remote, trustedProxies);
        // an untrusted client's claims about its address are dropped (an app trusting "6.6.6.6,
        // 127.0.0.1" would believe 6.6.6.6); a trusted proxy's Forwarded stays and Jetty appends to it
        proxyToServerRequest.headers(h -> ForwardedHeaders.NAMES.stream().filter(n -> !trusted || !n.equals("Forwarded"))
                .forEach(h::remove));
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        // Jetty sends Via and Forwarded; most applications read the X-Forwarded-* family.
        Map<String, String> values = ForwardedHeaders.of(remote, clientToProxyRequest.getHeaders(),
                clientToProxyRequest.getHttpURI().getScheme(), trustedProxies);
        proxyToServerRequest.headers(h -> values.forEach(h::put));
    }

    /** The proxies whose forwarding headers are kept. */
    List<AddressRange> trustedProxies() {
        return trustedProxies;
    }

    @Override
    protected HttpClient newHttpClient() {
        HttpClient client = super.newHttpClient();
        if (plainHttp) {
            PlainHttp.withoutTls(client);
        }
        client.setMaxConnectionsPerDestination(2048);
        client.setFollowRedirects(false);
        return client;
    }

    public int inFlight(String colour) {
        AtomicInteger n = inFlight.get(colour);
        return n == null ? 0 : n.get();
    }

    public Map<String, AtomicInteger> counters() {
        return inFlight;
    }

    public long served() {
        return served.get();
    }
}
