package dev.baton.deploy.notify;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Json;
import dev.baton.deploy.port.Notice;
import dev.baton.deploy.port.Notifier;
import dev.baton.deploy.port.Outcome;
import dev.baton.Http;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notices over HTTP POST: to an ntfy topic (the text as the body, the title, tags and priority
 * as ntfy's headers) or to a generic webhook (the notice as JSON, with the configured headers,
 * e.g. an Authorization header, which are never logged).
 */
public final class HttpNotifier implements Notifier {
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final boolean ntfy;
    private final URI uri;
    private final Map<String, String> headers;

    private HttpNotifier(boolean ntfy, URI uri, Map<String, String> headers) {
        this.ntfy = ntfy;
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (uri.getRawUserInfo() != null) {
            // https://user:password@host/topic, as curl reads it (the JDK's HTTP client would drop it unsaid)
            if (all.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization"))) {
                all.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(uri.getUserInfo().getBytes(StandardCharsets.UTF_8)));
            }
            uri = URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                    + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        this.uri = uri;
        this.headers = Map.copyOf(all);
    }

    public static HttpNotifier ntfy(URI topic, Map<String, String> headers) {
        return new HttpNotifier(true, topic, headers);
    }

    public static HttpNotifier webhook(URI url, Map<String, String> headers) {
        return new HttpNotifier(false, url, headers);
    }

    @Override
    public String describe() {
        return (ntfy ? "ntfy " : "webhook ") + uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + uri.getPath();
    }

    @Override
    public void send(Notice n) throws Exception {
        Map<String, String> req = new LinkedHashMap<>(headers);
        String body;
        if (ntfy) {
            boolean ok = n.outcome() == Outcome.SUCCEEDED;
            req.put("Title", n.title());
            req.put("Tags", ok ? "white_check_mark" : "x");
            req.put("Priority", ok ? "default" : "high");
            req.put("Content-Type", "text/plain; charset=utf-8");
            body = n.text();
        } else {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("app", n.app());
            json.put("kind", n.kind().word());
            json.put("release", n.release());
            json.put("version", n.version());
            json.put("outcome", n.outcome().word());
            json.put("from", n.from());
            json.put("to", n.to());
            json.put("ms", n.millis());
            json.put("failed_step", n.failedStep());
            json.put("error", n.error());
            json.put("url", n.url());
            json.put("text", n.title() + ": " + n.text());
            req.put("Content-Type", "application/json");
            body = Json.write(json);
        }
        Http.Response r = Http.post(uri, req, body.getBytes(StandardCharsets.UTF_8), CONNECT, TIMEOUT);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, describe() + " answered HTTP " + r.status());
        }
    }
}
