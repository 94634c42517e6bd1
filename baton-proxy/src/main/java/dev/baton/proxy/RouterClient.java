package dev.baton.proxy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talks to a running router's admin endpoint: how a deploy switches and drains. */
public final class RouterClient {
    private static final Pattern ACTIVE = Pattern.compile("\"active\":\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"([A-Za-z0-9_-]+)\":(\\d+)");
    private static final Pattern SERVED = Pattern.compile("\"served\":(\\d+)");
    private final URI admin;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RouterClient(URI admin, String token) {
        this.admin = admin;
        this.token = token;
    }

    /** The router's status, or an exception if it does not answer. */
    public RouterStatus status() {
        return parse(send(HttpRequest.newBuilder(admin.resolve("/status")).timeout(Duration.ofSeconds(5)).GET().build()));
    }

    /** Whether a router answers on the admin address. */
    public boolean isRunning() {
        try {
            status();
            return true;
        } catch (BatonException e) {
            return false;
        }
    }

    public RouterStatus switchTo(String colour) {
        HttpRequest req = HttpRequest.newBuilder(admin.resolve("/switch?colour=" + colour))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return parse(send(req));
    }

    private String send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new BatonException(ExitCode.FAILED, "router at " + admin + " refused " + req.method() + " "
                        + req.uri().getPath() + ": HTTP " + r.statusCode() + " " + r.body().strip());
            }
            return r.body();
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "router admin endpoint " + admin + " does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ExitCode.FAILED, "interrupted while talking to the router", e);
        }
    }

    static RouterStatus parse(String json) {
        Matcher a = ACTIVE.matcher(json);
        if (!a.find()) {
            throw new BatonException(ExitCode.FAILED, "unexpected router status: " + json);
        }
        Map<String, Integer> inFlight = new TreeMap<>();
        int open = json.indexOf("\"in_flight\":{");
        if (open >= 0) {
            String body = json.substring(open + 13, json.indexOf('}', open));
            Matcher c = COUNT.matcher(body);
            while (c.find()) {
                inFlight.put(c.group(1), Integer.parseInt(c.group(2)));
            }
        }
        Matcher s = SERVED.matcher(json);
        return new RouterStatus(a.group(1), inFlight, s.find() ? Long.parseLong(s.group(1)) : 0);
    }
}
