package dev.baton.proxy.internal;

import dev.baton.proxy.Route;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One colour's routes: path prefixes to that colour's upstreams, longest prefix first. Each
 * colour has its own, given with the switch to it, so a version whose ports or routes differ
 * from the serving one's takes them with it, and the serving one keeps its own.
 */
public record ColourRoutes(List<Entry> entries) {
    private static final Pattern PREFIX = Pattern.compile("/[A-Za-z0-9._~/%-]*");

    /** @param pathPrefix e.g. {@code /api} or {@code /} */
    public record Entry(String pathPrefix, URI upstream) {}

    public ColourRoutes {
        entries = entries.stream().sorted(Comparator.comparingInt((Entry e) -> e.pathPrefix().length()).reversed()).toList();
    }

    /** The colour's routes among {@code routes}; null when a route has no upstream for it. */
    public static ColourRoutes of(List<Route> routes, String colour) {
        List<Entry> out = new ArrayList<>();
        for (Route r : routes) {
            URI up = r.upstreams().get(colour);
            if (up == null) {
                return null;
            }
            out.add(new Entry(r.pathPrefix(), up));
        }
        return out.isEmpty() ? null : new ColourRoutes(out);
    }

    /**
     * Routes as the admin endpoint takes them, each {@code <prefix> <upstream>}; throws
     * IllegalArgumentException saying what is wrong with one.
     *
     * @param tls whether the router can reach an https upstream
     */
    public static ColourRoutes parse(List<String> specs, boolean tls) {
        List<Entry> out = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.strip().split(" +");
            if (parts.length != 2 || !PREFIX.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException("a route is \"<path prefix> <upstream>\", e.g. \"/api http://127.0.0.1:8001\"; got \"" + spec + "\"");
            }
            URI up;
            try {
                up = URI.create(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route " + parts[0] + ": not a URL: " + parts[1]);
            }
            boolean scheme = "http".equals(up.getScheme()) || tls && "https".equals(up.getScheme());
            if (!scheme || up.getHost() == null || up.getPort() < 1 || up.getRawPath() != null && !up.getRawPath().isEmpty()) {
                throw new IllegalArgumentException("route " + parts[0] + ": expected http://host:port" + (tls ? " or https://host:port" : "")
                        + ", got " + parts[1]);
            }
            if (out.stream().anyMatch(e -> e.pathPrefix().equals(parts[0]))) {
                throw new IllegalArgumentException("route " + parts[0] + " is given twice");
            }
            out.add(new Entry(parts[0], up));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no routes given");
        }
        return new ColourRoutes(out);
    }

    /** As {@link #parse} takes them. */
    public List<String> specs() {
        return entries.stream().map(e -> e.pathPrefix() + " " + e.upstream()).toList();
    }

    /** The upstream for {@code path}, or null when no route matches. */
    public URI upstream(String path) {
        for (Entry e : entries) {
            if (Route.matches(e.pathPrefix(), path)) {
                return e.upstream();
            }
        }
        return null;
    }

    /** Whether every upstream is plain HTTP. */
    public boolean plain() {
        return entries.stream().allMatch(e -> "http".equals(e.upstream().getScheme()));
    }
}
