package dev.baton.proxy;

import java.net.URI;
import java.util.Map;

/**
 * Requests whose path starts with {@code pathPrefix} go to the active colour's upstream.
 *
 * @param pathPrefix e.g. {@code /api} or {@code /}
 * @param upstreams colour to base URI, e.g. {@code blue -> http://127.0.0.1:8000}
 */
public record Route(String pathPrefix, Map<String, URI> upstreams) {
    public Route {
        upstreams = Map.copyOf(upstreams);
    }

    /** Whether a request path falls under this route. */
    public boolean matches(String path) {
        return matches(pathPrefix, path);
    }

    /** Whether a request path falls under a route with this prefix. */
    public static boolean matches(String pathPrefix, String path) {
        return pathPrefix.equals("/") || path.equals(pathPrefix) || path.startsWith(pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/");
    }
}
