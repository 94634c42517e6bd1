package dev.baton.proxy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Json;
import dev.baton.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Talks to a running router's admin endpoint: how a deploy switches and drains. */
public final class RouterClient {
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long a router that accepts connections but is slow to answer (a machine busy with a deploy) is given. */
    static final Duration SLOW = Duration.ofSeconds(30);
    private final URI admin;
    private final String token;
    private final Duration timeout;
    private final Duration slow;

    public RouterClient(URI admin, String token) {
        this(admin, token, TIMEOUT, SLOW);
    }

    /** @param timeout for an answer; @param slow for the answer of a router that takes connections but was slower than that */
    RouterClient(URI admin, String token, Duration timeout, Duration slow) {
        this.admin = admin;
        this.token = token;
        this.timeout = timeout;
        this.slow = slow;
    }

    /** The router's status, or an exception if it does not answer. */
    public RouterStatus status() {
        // with the token when there is one, so that a router started for another config says so
        return parse(send("GET", "/status", token == null ? Map.of() : auth(), timeout));
    }

    /**
     * Whether a router answers on the admin address; throws if one answers but refuses this
     * client's token (it was started for another config), or if something takes connections there
     * but does not answer even when given {@link #SLOW}, since starting a second one there would
     * only fail to bind.
     */
    public boolean isRunning() {
        if (answers(timeout)) {
            return true;
        }
        if (!accepts()) {
            return false; // nothing listens there
        }
        // something takes connections but did not answer in time: a router on a machine busy with the deploy
        // itself, given longer, rather than taken for dead (a second one started beside it would not bind)
        if (answers(slow)) {
            return true;
        }
        if (!accepts()) {
            return false; // it died meanwhile
        }
        throw new BatonException(ExitCode.FAILED, "something accepts connections on the router's admin address " + admin
                + " but did not answer GET /status within " + (slow.toMillis() % 1000 == 0 ? slow.toSeconds() + " s"
                : slow.toMillis() + " ms") + ": a router that hangs, or another program; Baton does not start a second router"
                + " beside it. See <state_dir>/logs/router.log; stop what holds the address (ss -ltnp) and run baton recover");
    }

    /** Whether GET /status is answered within {@code t}; false when nothing answered, an exception when the answer is no. */
    private boolean answers(Duration t) {
        try {
            parse(send("GET", "/status", token == null ? Map.of() : auth(), t));
            return true;
        } catch (BatonException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
            return false;
        }
    }

    /** Whether anything accepts a TCP connection on the admin address. */
    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(admin.getHost(), admin.getPort()), (int) CONNECT.toMillis());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    public RouterStatus switchTo(String colour) {
        return switchTo(colour, List.of());
    }

    /**
     * Switches to {@code colour} and gives it {@code routes}: those of the routes with an upstream
     * for it, which the router keeps for that colour (its ports may differ from the serving one's).
     * None given: the colour keeps the routes the router has for it.
     */
    public RouterStatus switchTo(String colour, List<Route> routes) {
        StringBuilder q = new StringBuilder("/switch?colour=").append(encode(colour));
        for (Route r : routes) {
            URI up = r.upstreams().get(colour);
            if (up != null) {
                q.append("&route=").append(encode(r.pathPrefix() + " " + up));
            }
        }
        return parse(send("POST", q.toString(), auth(), TIMEOUT));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Waits, inside the router, until no request is in flight to {@code colour} or {@code timeout}
     * passes; returns how many are still in flight (0: drained).
     */
    public int drain(String colour, Duration timeout) {
        String answer = send("POST", "/drain?colour=" + colour + "&timeout_ms=" + timeout.toMillis(), auth(), timeout.plus(TIMEOUT));
        try {
            return ((Number) ((Map<?, ?>) Json.parse(answer)).get("in_flight")).intValue();
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new BatonException(ExitCode.FAILED, "unexpected answer to POST /drain from the router at " + admin);
        }
    }

    private Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + token);
    }

    private String send(String method, String pathAndQuery, Map<String, String> headers, Duration timeout) {
        URI uri = admin.resolve(pathAndQuery);
        try {
            Http.Response r = method.equals("POST") ? Http.post(uri, headers, new byte[0], CONNECT, timeout)
                    : Http.get(uri, headers, CONNECT, timeout);
            if (r.status() == 401) {
                throw new BatonException(ExitCode.STATE, "a router answers on " + admin + " but refuses this config's admin"
                        + " token: it was started for another baton.yml (another app or state_dir), or before router.token in"
                        + " baton.yml changed. Stop that router (one Baton started: kill $(cut -d' ' -f1"
                        + " <state_dir>/run/router-supervisor.pid), then baton recover starts it again), or give this app"
                        + " router ports of its own (router.listen and router.admin)");
            }
            if (r.status() != 200) {
                throw new BatonException(ExitCode.FAILED, "router at " + admin + " refused " + method + " "
                        + uri.getPath() + ": HTTP " + r.status() + " " + r.body().strip());
            }
            return r.body();
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "router admin endpoint " + admin + " does not answer: " + BatonException.describe(e), e);
        }
    }

    @SuppressWarnings("unchecked")
    static RouterStatus parse(String json) {
        try {
            Map<String, Object> m = (Map<String, Object>) Json.parse(json);
            return new RouterStatus((String) m.get("active"), counts(m.get("in_flight")),
                    ((Number) m.getOrDefault("served", 0L)).longValue(), counts(m.get("websockets")), (String) m.get("listen"));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new BatonException(ExitCode.FAILED, "unexpected router status: " + json);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> counts(Object o) {
        Map<String, Integer> out = new TreeMap<>();
        if (o instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, ((Number) v).intValue()));
        }
        return out;
    }
}
