package dev.baton.proxy;

import dev.baton.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the router reports: the active colour and the requests in flight per colour.
 *
 * @param listen the public address it listens on ({@code host:port}), or null from a router that does not say
 */
public record RouterStatus(String active, Map<String, Integer> inFlight, long served, Map<String, Integer> websockets,
                           String listen) {
    public RouterStatus(String active, Map<String, Integer> inFlight, long served, Map<String, Integer> websockets) {
        this(active, inFlight, served, websockets, null);
    }

    /** The admin endpoint's JSON for this status. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", active);
        m.put("in_flight", new TreeMap<>(inFlight));
        m.put("served", served);
        m.put("websockets", new TreeMap<>(websockets));
        if (listen != null) {
            m.put("listen", listen);
        }
        return Json.write(m);
    }
}
