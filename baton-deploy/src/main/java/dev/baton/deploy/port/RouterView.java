package dev.baton.deploy.port;

import java.util.Map;

/**
 * What a router says about itself for {@code baton status}, read without starting it.
 *
 * @param type {@code builtin} or {@code nginx}
 * @param running whether it answers
 * @param active the colour it serves, or null when not running or unknown
 * @param inFlight requests in flight per colour (empty where the router cannot count them)
 * @param served requests served since it started, or -1 when it does not count them
 * @param error why it is not usable although something answers (another app's router), or null
 * @param listen where it listens ({@code host:port}) when it says so, else null
 */
public record RouterView(String type, boolean running, String active, Map<String, Integer> inFlight, long served, String error,
                         String listen) {
    public RouterView {
        inFlight = Map.copyOf(inFlight);
    }

    public RouterView(String type, boolean running, String active, Map<String, Integer> inFlight, long served, String error) {
        this(type, running, active, inFlight, served, error, null);
    }

    public static RouterView notRunning(String type, String error) {
        return new RouterView(type, false, null, Map.of(), -1, error);
    }
}
