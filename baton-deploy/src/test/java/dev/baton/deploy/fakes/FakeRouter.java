package dev.baton.deploy.fakes;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.RouterView;
import dev.baton.deploy.port.TrafficRouter;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link TrafficRouter} holding the active colour in a field; it can refuse switches and report requests in flight. */
public final class FakeRouter implements TrafficRouter {
    private final String host;
    private final Journal journal;
    private volatile String active;
    private volatile boolean refuses;
    public final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private volatile URI publicUri = URI.create("http://127.0.0.1:1");

    public FakeRouter(String host, Journal journal, String active) {
        this.host = host;
        this.journal = journal;
        this.active = active;
    }

    private volatile int switchesLeft = Integer.MAX_VALUE;

    /** From now on every switch fails, as a dead router's would. */
    public FakeRouter refusing() {
        this.refuses = true;
        return this;
    }

    /** The router dies after {@code n} more switches: the ones after fail. */
    public FakeRouter diesAfter(int n) {
        this.switchesLeft = n;
        return this;
    }

    /** How often it was asked to start (a built-in router would have been launched). */
    public final AtomicInteger started = new AtomicInteger();
    private volatile boolean running = true;

    private volatile String type = "fake";

    /** Says it is of {@code type} ({@code nginx}), as what it stands for would. */
    public FakeRouter typed(String type) {
        this.type = type;
        return this;
    }

    private volatile boolean neverServed;

    /** Has never served a colour, as the router of a server just added to hosts. */
    public FakeRouter neverServing() {
        this.neverServed = true;
        this.active = null;
        return this;
    }

    @Override
    public boolean neverServed() {
        return neverServed;
    }

    @Override
    public void stopServing() {
        journal.add(host + " router serves nothing");
        active = null;
    }

    /** Not running until asked to start, as a built-in router before the first deploy. */
    public FakeRouter stopped() {
        this.running = false;
        return this;
    }

    @Override
    public void ensureRunning() {
        started.incrementAndGet();
        running = true;
    }

    @Override
    public String describeSwitch(String colour) {
        return host + ": the fake router sends new requests to " + colour;
    }

    @Override
    public String active() {
        return active;
    }

    @Override
    public void switchTo(String colour) {
        if (switchesLeft-- <= 0) {
            refuses = true;
        }
        if (refuses) {
            journal.add(host + " switch to " + colour + " refused");
            throw new BatonException(ExitCode.FAILED, "router on " + host + " does not answer");
        }
        journal.add(host + " switch to " + colour);
        active = colour;
    }

    @Override
    public int inFlight(String colour) {
        return inFlight.getOrDefault(colour, 0);
    }

    @Override
    public RouterView view() {
        return running ? new RouterView(type, true, active, inFlight, 0, null) : RouterView.notRunning(type, null);
    }

    /** Where validation sends its requests. */
    public FakeRouter publicAt(URI uri) {
        this.publicUri = uri;
        return this;
    }

    @Override
    public URI publicUri() {
        return publicUri;
    }
}
