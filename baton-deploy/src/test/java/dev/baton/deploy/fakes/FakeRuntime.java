package dev.baton.deploy.fakes;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.ServiceRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ServiceRuntime} that keeps which service colours "run" in a set and journals every start and stop. */
public final class FakeRuntime implements ServiceRuntime {
    private final String host;
    private final Journal journal;
    public final Set<String> running = ConcurrentHashMap.newKeySet();
    public final List<String> pruned = new CopyOnWriteArrayList<>();
    /** Run before each stop (to break something at that moment). */
    public volatile Runnable beforeStop = () -> { };
    /** Whether it answers no question about what runs (its engine's daemon is down). */
    public volatile boolean silent;

    /** Services whose program is not there, with why ({@link #cannotStart}). */
    public final Map<String, String> missing = new ConcurrentHashMap<>();

    /** What each service-colour was last started with. */
    public final Map<String, ServiceSpec> startedWith = new ConcurrentHashMap<>();
    /** The service colours raised to normal CPU priority, in order. */
    public final List<String> raised = new CopyOnWriteArrayList<>();
    /** Run on each raise (the colour then gets the CPU it lacked). */
    public volatile Runnable onRaise = () -> { };
    private volatile boolean prunes;
    private volatile String failing = "";

    public FakeRuntime(String host, Journal journal) {
        this.host = host;
        this.journal = journal;
    }

    public FakeRuntime prunes() {
        this.prunes = true;
        return this;
    }

    /** {@code api-green}. */
    public static String key(ServiceSpec s, String colour) {
        return s.name() + "-" + colour;
    }

    private volatile String exiting = "";

    /** {@code key} starts, then exits at once, as a process whose port is taken or whose config is broken would. */
    public FakeRuntime exitsOn(String key) {
        this.exiting = key;
        return this;
    }

    /** Starting {@code key} ({@code web-green}) fails, as a full disk or a bad image would make it. */
    public FakeRuntime failOn(String key) {
        this.failing = key;
        return this;
    }

    @Override
    public Optional<String> cannotStart(ServiceSpec service) {
        return Optional.ofNullable(missing.get(service.name()));
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        if (failing.equals(key(service, colour))) {
            throw new BatonException(ExitCode.FAILED, key(service, colour) + " would not start");
        }
        journal.add(host + " start " + key(service, colour));
        if (!exiting.equals(key(service, colour))) {
            running.add(key(service, colour));
        }
        startedWith.put(key(service, colour), service);
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        if (silent) {
            throw new BatonException(ExitCode.FAILED, host + ": cannot tell whether " + key(service, colour) + " runs: the engine does not answer");
        }
        return running.contains(key(service, colour));
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        beforeStop.run();
        if (running.remove(key(service, colour))) {
            journal.add(host + " stop " + key(service, colour));
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return Path.of("/fake", host, key(service, colour) + ".log");
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        return List.of("(fake log of " + key(service, colour) + ")");
    }

    @Override
    public void raisePriority(ServiceSpec service, String colour) {
        if (service.startLow()) {
            raised.add(key(service, colour));
            onRaise.run();
        }
    }

    @Override
    public boolean prune() {
        if (prunes) {
            pruned.add(host);
        }
        return prunes;
    }
}
