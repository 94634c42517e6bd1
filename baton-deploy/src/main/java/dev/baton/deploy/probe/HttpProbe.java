package dev.baton.deploy.probe;

import dev.baton.Http;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One GET, answered or not: what health checks, gates and validation poll. */
public final class HttpProbe {
    private static final Duration CONNECT = Duration.ofSeconds(2);

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
            Http.Response r = Http.get(uri, Map.of(), CONNECT, timeout);
            String body = r.body().strip().replace('\n', ' ');
            return new Answer(uri, r.status(), body.length() > 160 ? body.substring(0, 160) + "…" : body);
        } catch (IOException e) {
            return new Answer(uri, 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
