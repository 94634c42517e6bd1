package dev.baton.deploy.port;

import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Switches public traffic between colours: the {@code Router} port of the design. */
public interface TrafficRouter {
    /** Starts the router if it is not running; returns once it answers. */
    void ensureRunning();

    /** The colour it currently sends traffic to. */
    String active();

    /** Sends new requests to {@code colour}; requests in flight finish where they started. */
    void switchTo(String colour);

    /**
     * Whether it has never served a colour of this app: a server just added to baton.yml's hosts.
     * (One that served and lost its state, a reboot say, has served.)
     */
    default boolean neverServed() {
        return false;
    }

    /** Serves no colour again, as before its first switch: the undo of a new server's first switch. */
    default void stopServing() {
        throw new UnsupportedOperationException("this router cannot go back to serving nothing");
    }

    /** Requests still in flight to {@code colour}. */
    int inFlight(String colour);

    /**
     * Waits until no request is in flight to {@code colour}, up to {@code deadline}; returns how many
     * still are (0: drained). By default it polls {@link #inFlight}; a router that can wait itself does.
     */
    default int drain(String colour, Duration deadline) {
        int[] left = {0};
        try {
            Wait.of("requests to " + colour + " to finish", deadline, Duration.ofMillis(20))
                    .until(() -> (left[0] = inFlight(colour)) == 0 ? Probe.ok() : Probe.notYet(left[0] + " in flight"));
        } catch (Wait.TimedOut e) {
            return left[0];
        }
        return 0;
    }

    /** How {@link #switchTo} moves traffic, for a plan: one line for people. */
    String describeSwitch(String colour);

    /** The commands {@link #switchTo} runs on its host, for a plan; runs nothing. */
    default List<Command> switchCommands(String colour) {
        return List.of();
    }

    /** What it says about itself now, without starting it: for {@code baton status}. */
    RouterView view();

    /** The public address, for validation through the router. */
    URI publicUri();
}
