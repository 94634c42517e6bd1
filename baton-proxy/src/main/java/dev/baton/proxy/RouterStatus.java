package dev.baton.proxy;

import java.util.Map;

/** What the router reports: the active colour and the requests in flight per colour. */
public record RouterStatus(String active, Map<String, Integer> inFlight, long served) {}
