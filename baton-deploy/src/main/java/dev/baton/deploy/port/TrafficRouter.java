package dev.baton.deploy;

import java.net.URI;

/** Switches public traffic between colours: the {@code Router} port of the design. */
public interface TrafficRouter {
    /** Starts the router if it is not running; returns once it answers. */
    void ensureRunning();

    /** The colour it currently sends traffic to. */
    String active();

    /** Sends new requests to {@code colour}; requests in flight finish where they started. */
    void switchTo(String colour);

    /** Requests still in flight to {@code colour}. */
    int inFlight(String colour);

    /** The public address, for validation through the router. */
    URI publicUri();
}
