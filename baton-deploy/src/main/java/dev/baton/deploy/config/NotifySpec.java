package dev.baton.deploy.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code notify:}: an ntfy topic or a webhook, with extra headers (an
 * Authorization header, say; never logged).
 *
 * @param kind where it goes
 */
public record NotifySpec(Kind kind, URI uri, Map<String, String> headers) {
    /** ntfy (title, priority and tags as ntfy headers) or a generic webhook (a JSON body). */
    public enum Kind { NTFY, WEBHOOK }

    public NotifySpec {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "NotifySpec[" + kind.name().toLowerCase(Locale.ROOT) + " " + uri.getHost() + uri.getPath() + ", headers " + headers.keySet() + "]";
    }
}
