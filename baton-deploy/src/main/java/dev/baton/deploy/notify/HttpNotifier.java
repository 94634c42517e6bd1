package dev.baton.deploy.notify;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Json;
import dev.baton.deploy.port.Notice;
import dev.baton.deploy.port.Notifier;
import dev.baton.deploy.port.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notices over HTTP POST: to an ntfy topic (the text as the body, the title, tags and priority
 * as ntfy's headers) or to a generic webhook (the notice as JSON, with the configured headers,
 * e.g. an Authorization header, which are never logged).
 */
public final class HttpNotifier implements Notifier {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final boolean ntfy;
    private final URI uri;
    private final Map<String, String> headers;

    private HttpNotifier(boolean ntfy, URI uri, Map<String, String> headers) {
        this.ntfy = ntfy;
        this.uri = uri;
        this.headers = Map.copyOf(headers);
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
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        headers.forEach(req::header);
        if (ntfy) {
            boolean ok = n.outcome() == Outcome.SUCCEEDED;
            req.header("Title", n.title()).header("Tags", ok ? "white_check_mark" : "x").header("Priority", ok ? "default" : "high")
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(n.text(), StandardCharsets.UTF_8));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("app", n.app());
            body.put("kind", n.kind().word());
            body.put("release", n.release());
            body.put("version", n.version());
            body.put("outcome", n.outcome().word());
            body.put("from", n.from());
            body.put("to", n.to());
            body.put("ms", n.millis());
            body.put("failed_step", n.failedStep());
            body.put("error", n.error());
            body.put("url", n.url());
            body.put("text", n.title() + ": " + n.text());
            req.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new BatonException(ExitCode.FAILED, describe() + " answered HTTP " + r.statusCode());
        }
    }
}
