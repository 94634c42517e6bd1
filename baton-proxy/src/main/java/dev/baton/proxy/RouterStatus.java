package dev.baton.proxy;

import dev.baton.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the router reports: the active colour and the requests in flight per colour. */
public record RouterStatus(String active, Map<String, Integer> inFlight, long served, Map<String, Integer> websockets) {
    /** The admin endpoint's JSON for this status. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", active);
        m.put("in_flight", new TreeMap<>(inFlight));
        m.put("served", served);
        m.put("websockets", new TreeMap<>(websockets));
        return Json.write(m);
    }
}
