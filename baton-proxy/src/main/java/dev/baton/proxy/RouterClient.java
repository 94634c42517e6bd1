package dev.baton.proxy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Talks to a running router's admin endpoint: how a deploy switches and drains. */
public final class RouterClient {
    private final URI admin;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RouterClient(URI admin, String token) {
        this.admin = admin;
        this.token = token;
    }

    /** The router's status, or an exception if it does not answer. */
    public RouterStatus status() {
        HttpRequest.Builder req = HttpRequest.newBuilder(admin.resolve("/status")).timeout(Duration.ofSeconds(5)).GET();
        if (token != null) {
            req.header("Authorization", "Bearer " + token); // so a router started for another config says so
        }
        return parse(send(req.build()));
    }

    /**
     * Whether a router answers on the admin address; throws if one answers but refuses this
     * client's token (it was started for another config), since starting a second one there
     * would only fail to bind.
     */
    public boolean isRunning() {
        try {
            status();
            return true;
        } catch (BatonException e) {
            if (e.getCause() instanceof IOException) {
                return false;
            }
            throw e;
        }
    }

    public RouterStatus switchTo(String colour) {
        HttpRequest req = HttpRequest.newBuilder(admin.resolve("/switch?colour=" + colour))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return parse(send(req));
    }

    /**
     * Waits, inside the router, until no request is in flight to {@code colour} or {@code timeout}
     * passes; returns how many are still in flight (0: drained).
     */
    public int drain(String colour, Duration timeout) {
        HttpRequest req = HttpRequest.newBuilder(admin.resolve("/drain?colour=" + colour + "&timeout_ms=" + timeout.toMillis()))
                .timeout(timeout.plusSeconds(5))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            return ((Number) ((Map<?, ?>) Json.parse(send(req))).get("in_flight")).intValue();
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new BatonException(ExitCode.FAILED, "unexpected answer to POST /drain from the router at " + admin);
        }
    }

    private String send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401) {
                throw new BatonException(ExitCode.STATE, "a router answers on " + admin + " but refuses this config's admin"
                        + " token: it was started for another baton.yml (another app or state_dir). Stop that router, or give"
                        + " this app router ports of its own (router.listen and router.admin)");
            }
            if (r.statusCode() != 200) {
                throw new BatonException(ExitCode.FAILED, "router at " + admin + " refused " + req.method() + " "
                        + req.uri().getPath() + ": HTTP " + r.statusCode() + " " + r.body().strip());
            }
            return r.body();
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "router admin endpoint " + admin + " does not answer: " + BatonException.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ExitCode.FAILED, "interrupted while talking to the router", e);
        }
    }

    @SuppressWarnings("unchecked")
    static RouterStatus parse(String json) {
        try {
            Map<String, Object> m = (Map<String, Object>) Json.parse(json);
            return new RouterStatus((String) m.get("active"), counts(m.get("in_flight")),
                    ((Number) m.getOrDefault("served", 0L)).longValue(), counts(m.get("websockets")));
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
