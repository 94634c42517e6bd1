package dev.baton.proxy;

import java.util.Map;

/** What the router reports: the active colour and the requests in flight per colour. */
public record RouterStatus(String active, Map<String, Integer> inFlight, long served, Map<String, Integer> websockets) {
    /** The admin endpoint's JSON for this status. */
    public String toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("active", active);
        m.put("in_flight", new java.util.TreeMap<>(inFlight));
        m.put("served", served);
        m.put("websockets", new java.util.TreeMap<>(websockets));
        return dev.baton.Json.write(m);
    }
}
