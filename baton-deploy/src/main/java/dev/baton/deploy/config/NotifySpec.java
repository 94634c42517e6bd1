package dev.baton.deploy.config;

import java.net.URI;
import java.util.Map;

/**
 * One entry of {@code notify:}: an ntfy topic or a webhook, with extra headers (an
 * Authorization header, say; never logged).
 *
 * @param kind ntfy or webhook
 */
public record NotifySpec(String kind, URI uri, Map<String, String> headers) {
    public NotifySpec {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "NotifySpec[" + kind + " " + uri.getHost() + uri.getPath() + ", headers " + headers.keySet() + "]";
    }
}
