package dev.baton.proxy.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * WebSocket upgrades through the router. Jetty's HTTP proxy does not carry upgrades, so the
 * router accepts the client's WebSocket itself, opens one to the upstream of the colour active at
 * that moment, and relays messages both ways. A WebSocket stays on the colour it opened on (as a
 * request in flight does) until either side closes it; when the old colour stops, its clients see
 * the close and reconnect to the new one. Open WebSockets are counted per colour apart from
 * requests in flight, so a long-lived socket does not hold up a deploy's drain.
 */
public final class WebSocketBridge implements WebSocketCreator {
    private static final List<String> FORWARDED = List.of("Cookie", "Authorization", "Origin", "User-Agent");
    private final SwitchingProxyHandler proxy;
    private final AtomicReference<String> active;
    private final WebSocketClient client;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public WebSocketBridge(SwitchingProxyHandler proxy, AtomicReference<String> active, WebSocketClient client) {
        this.proxy = proxy;
        this.active = active;
        this.client = client;
    }

    /** Open WebSockets per colour. */
    public Map<String, Integer> open() {
        Map<String, Integer> out = new TreeMap<>();
        open.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response,
                                  org.eclipse.jetty.util.Callback callback) throws Exception {
        String colour = active.get();
        String path = request.getHttpURI().getCanonicalPath(); // as for requests: routed on the normalised path
        URI base = path == null ? null : proxy.upstream(path, colour);
        if (base == null) {
            Response.writeError(request, response, callback, 404, "no route for this path");
            return null;
        }
        String query = request.getHttpURI().getQuery();
        URI target = URI.create((base.getScheme().equals("https") ? "wss" : "ws") + "://" + base.getHost() + ":"
                + base.getPort() + URIUtil.encodePath(path) + (query == null ? "" : "?" + query));
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        if (!request.getSubProtocols().isEmpty()) {
            upgrade.setSubProtocols(request.getSubProtocols());
        }
        for (String h : FORWARDED) {
            List<String> values = request.getHeaders().getValuesList(h);
            if (!values.isEmpty()) {
                upgrade.setHeader(h, values);
            }
        }
        // the same forwarding headers as for requests: replaced, unless the client is a trusted proxy
        ForwardedHeaders.of(Request.getRemoteAddr(request), request.getHeaders(), request.getHttpURI().getScheme(),
                proxy.trustedProxies()).forEach(upgrade::setHeader);
        AtomicInteger counter = open.computeIfAbsent(colour, c -> new AtomicInteger());
        Relay relay = new Relay(counter);
        Session upstream;
        try {
            upstream = client.connect(relay.upstream, target, upgrade).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            Response.writeError(request, response, callback, 502, "the " + colour + " upstream refused the WebSocket: "
                    + cause.getMessage());
            return null;
        }
        counter.incrementAndGet();
        String accepted = upstream.getUpgradeResponse().getAcceptedSubProtocol();
        if (accepted != null) {
            response.setAcceptedSubProtocol(accepted);
        }
        return relay.downstream;
    }

    /** The two halves of one proxied WebSocket, each forwarding what it receives to the other. */
    private static final class Relay {
        final Side downstream;
        final Side upstream;

        Relay(AtomicInteger counter) {
            AtomicBoolean counted = new AtomicBoolean(true);
            Runnable ended = () -> {
                if (counted.compareAndSet(true, false)) {
                    counter.decrementAndGet();
                }
            };
            downstream = new Side(ended);
            upstream = new Side(ended);
            downstream.peer = upstream;
            upstream.peer = downstream;
        }
    }

    /** One side of a relay. Public because Jetty looks its methods up reflectively. */
    public static final class Side implements Session.Listener.AutoDemanding {
        private final Runnable ended;
        private Side peer;
        private Session session;
        private final List<Consumer<Session>> pending = new ArrayList<>();

        Side(Runnable ended) {
            this.ended = ended;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            List<Consumer<Session>> queued;
            synchronized (this) {
                session = s;
                queued = new ArrayList<>(pending);
                pending.clear();
            }
            queued.forEach(a -> a.accept(s));
        }

        /** Runs {@code action} on this side's session, or once it opens (the upstream can speak first). */
        void send(Consumer<Session> action) {
            Session s;
            synchronized (this) {
                if (session == null) {
                    pending.add(action);
                    return;
                }
                s = session;
            }
            action.accept(s);
        }

        @Override
        public void onWebSocketText(String message) {
            peer.send(s -> s.sendText(message, Callback.NOOP));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            peer.send(s -> s.sendBinary(copy, Callback.NOOP));
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            // 1005/1006/1015 describe a close; they cannot be sent in one
            int sendable = code == 1005 || code == 1006 || code == 1015 ? 1001 : code;
            ended.run(); // counted gone before the other side hears of it: whoever sees the close sees the count
            peer.send(s -> {
                if (s.isOpen()) {
                    s.close(sendable, reason, Callback.NOOP);
                }
            });
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            ended.run();
            peer.send(s -> {
                if (s.isOpen()) {
                    s.close(1011, "the other side failed", Callback.NOOP);
                }
            });
        }
    }
}
