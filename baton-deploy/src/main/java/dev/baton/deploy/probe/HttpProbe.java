package dev.baton.deploy.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET, answered or not: what health checks, gates and validation poll. */
public final class HttpProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpProbe() {}

    /**
     * @param status the HTTP status, or 0 when nothing answered
     * @param detail the start of the body, or why nothing answered
     */
    public record Answer(URI uri, int status, String detail) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return uri + " → " + (status == 0 ? detail : "HTTP " + status + (detail.isEmpty() ? "" : " " + detail));
        }
    }

    public static Answer get(URI uri, Duration timeout) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = r.body().strip().replace('\n', ' ');
            return new Answer(uri, r.statusCode(), body.length() > 160 ? body.substring(0, 160) + "…" : body);
        } catch (IOException e) {
            return new Answer(uri, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(uri, 0, "interrupted");
        }
    }
}
