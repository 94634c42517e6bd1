package dev.baton.deploy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import dev.baton.deploy.state.Journal;
import dev.baton.deploy.steps.ColourHealth;
import dev.baton.deploy.steps.MovedPorts;
import dev.baton.deploy.steps.NewServers;
import dev.baton.deploy.steps.StartIfStopped;
import dev.baton.deploy.steps.TakenPorts;
import dev.baton.wait.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings an app back to one consistent state: every router runs and points at a colour that runs
 * and answers its health checks, and state.json says what the routers serve. Run by
 * {@code baton recover}, and by every deploy and rollback before they start, under the deploy
 * lock (so a journal it finds belongs to a deploy that is gone).
 *
 * <p>Which colour serves, in order of preference: after a killed deploy, the colour it switched
 * to if the routers serve it and it is healthy (recorded as active: the deploy got past the
 * switch), else the colour it started from; after a deploy that failed and could not undo itself,
 * the colour it started from first; without a journal, what the routers serve, else what
 * state.json says. The first of these that is healthy everywhere wins.
 */
public final class Recovery {
    /**
     * What it found and did.
     *
     * @param journal the killed deploy it settled, if any
     * @param serving the colour serving afterwards, or null when no colour can
     * @param actions what it changed, one line each (empty: everything was consistent)
     * @param state state.json afterwards
     */
    public record Report(Optional<Journal> journal, String serving, List<String> actions, DeployState state) {
        public boolean changed() {
            return journal.isPresent() || !actions.isEmpty();
        }

        /** Nothing was ever deployed (no journal, no record, no colour behind a router): nothing to recover, nothing started. */
        public boolean neverDeployed() {
            return journal.isEmpty() && serving == null && actions.isEmpty() && state.active() == null;
        }
    }

    private final DeployConfig config;
    private final List<Server> servers;
    private final Optional<Migrator> migrator;
    private final DeployLog log;

    Recovery(DeployConfig config, List<Server> servers, Optional<Migrator> migrator, DeployLog log) {
        this.config = config;
        this.servers = established(config, servers);
        this.migrator = migrator;
        this.log = log;
    }

    /**
     * The servers to settle: all but those just added to hosts (their router never served), which
     * have nothing to recover and get the new colour from the next deploy. All of them new is not
     * an addition but servers rebuilt empty: then all, to start what served there again.
     */
    static List<Server> established(DeployConfig config, List<Server> servers) {
        if (servers.size() < 2) {
            return servers;
        }
        List<Server> added = NewServers.of(servers);
        return added.size() == servers.size() ? servers : servers.stream().filter(s -> !added.contains(s)).toList();
    }

    /** Whether anything needs settling: a journal, a router that is not running or disagrees with state.json. */
    static boolean needed(DeployConfig config, List<Server> servers) {
        if (Journal.load(config.stateDir()).isPresent()) {
            return true;
        }
        String active = DeployState.load(config.stateDir()).active();
        for (Server s : established(config, servers)) {
            var view = s.router().view();
            if (!view.running()) {
                return active != null; // before the first deploy, a router that is not running is normal
            }
            if (active != null && !active.equals(view.active())) {
                return true;
            }
            if (active == null && config.services().values().stream().anyMatch(svc -> s.runtime().running(svc, view.active()))) {
                return true; // state.json lost, but a colour runs behind the router
            }
        }
        return false;
    }

    Report run() {
        Optional<Journal> journal = Journal.load(config.stateDir());
        DeployState state = DeployState.load(config.stateDir());
        List<String> actions = new ArrayList<>();
        if (journal.isEmpty() && state.active() == null && !needed(config, servers)) {
            return new Report(journal, null, actions, state); // before the first deploy: starting a router would serve nothing
        }
        refuseMovedPorts(state);
        journal.ifPresent(j -> note(actions, null, "found the journal of " + j.kind() + " " + j.release() + " (pid " + j.pid()
                + ", gone), " + j.how() + (j.to() == null ? "" : ", " + (j.from() == null ? "first deploy" : j.from()) + " → " + j.to())));

        Map<String, String> routed = Collections.synchronizedMap(new HashMap<>()); // null: a router that serves no colour (nginx with no site link)
        Server.onEach(servers, s -> {
            if (!s.router().view().running()) {
                s.router().ensureRunning();
                note(actions, s, "started the router, which was not running");
            }
            routed.put(s.name(), s.router().active());
        });

        // a router serving a colour baton.yml no longer names: renamed under it (a state.json naming one is only repaired)
        routed.values().stream().filter(c -> c != null && !config.colours().contains(c)).findFirst()
                .ifPresent(c -> MovedPorts.refuseRenamed(c, config.colours(), "serves"));
        Collection<ServiceSpec> services = config.services().values();
        String serving = null;
        List<String> why = new ArrayList<>();
        for (String candidate : candidates(journal, state, routed, config.colours())) {
            List<String> problems = ColourHealth.problems(servers, ColourHealth.of(state, services, candidate), candidate);
            if (problems.isEmpty()) {
                serving = candidate;
                break;
            }
            why.addAll(problems);
        }
        if (serving == null && state.active() != null) {
            serving = restartActive(state, actions).orElse(null);
        }
        if (serving == null) {
            if (state.active() != null) { // checked where baton.yml says, not where it was started
                state.colour(state.active()).map(r -> r.movedPorts(services, state.active())).ifPresent(why::addAll);
            }
            note(actions, null, "no colour can serve: " + String.join("; ", why));
            if (journal.filter(Journal::failed).isEmpty()) { // a failed deploy's undo is still owed: run again once a colour serves
                Journal.clear(config.stateDir());
            }
            return new Report(journal, null, actions, state);
        }
        for (Server s : servers) {
            for (ServiceSpec svc : config.services().values()) {
                try { // a deploy killed between its target's start and its switch left it at the starting priority
                    s.runtime().raisePriority(svc, serving);
                } catch (RuntimeException e) {
                    log.line(s.name() + ": " + BatonException.describe(e));
                }
            }
            if (!serving.equals(routed.get(s.name()))) {
                s.router().switchTo(serving);
                note(actions, s, "switched the router from " + Objects.requireNonNullElse(routed.get(s.name()), "no colour") + " to "
                        + serving + ", which is healthy");
            }
        }

        DeployState after = state;
        if (journal.isPresent()) {
            after = settle(journal.get(), serving, state, actions);
        }
        String healthy = serving; // where it answered, and where the router now sends it: baton.yml's ports
        DeployState settled = after;
        after = after.colour(serving).filter(r -> !r.movedPorts(services, healthy).isEmpty())
                .map(r -> settled.with(healthy, r.onPorts(services, healthy))).orElse(after);
        if (!serving.equals(after.active())) {
            String previous = Objects.equals(after.active(), serving) ? after.previous() : after.active();
            after = new DeployState(serving, previous, revision(after), after.release(), after.commit(), Instant.now().toString(),
                    after.colours());
            note(actions, null, "recorded " + serving + " as active in " + config.paths().state()
                    + (state.active() == null ? " (it had no record)" : " (it said " + state.active() + ")"));
        }
        if (after != state) {
            after.save(config.stateDir());
        }
        Journal.clear(config.stateDir());
        return new Report(journal, serving, actions, after);
    }

    /**
     * The active colour runs where it was started; baton.yml edited since would send its checks,
     * and the router, elsewhere. (Nothing of it running, after a reboot, it starts on today's ports.)
     */
    private void refuseMovedPorts(DeployState state) {
        String colour = state.active();
        if (colour == null || state.colour(colour).map(r -> r.movedPorts(config.services().values(), colour).isEmpty()).orElse(true)) {
            return;
        }
        Optional<ColourRun> ran = state.colour(colour);
        boolean runs = servers.stream().anyMatch(s -> config.services().values().stream()
                .anyMatch(svc -> s.runtime().running(ran.get().restore(svc), colour)));
        if (runs) {
            MovedPorts.refuse(state, config.services().values(), colour, "serves");
        }
    }

    /**
     * Nothing serves and services of the colour state.json names do not run (the machine rebooted,
     * the kernel killed them): starts those again as they last ran (image and command from
     * state.json, today's environment, as a rollback does) and serves the colour once it is
     * healthy. A service that runs but does not answer is not restarted: that would hide why.
     */
    private Optional<String> restartActive(DeployState state, List<String> actions) {
        String colour = state.active();
        Optional<ColourRun> ran = state.colour(colour);
        List<ServiceSpec> restored = config.services().values().stream().map(s -> ran.map(r -> r.restore(s)).orElse(s)).toList();
        Map<Server, List<ServiceSpec>> stopped = new HashMap<>();
        for (Server s : servers) {
            stopped.put(s, restored.stream().filter(svc -> !s.runtime().running(svc, colour)).toList());
        }
        if (stopped.values().stream().allMatch(List::isEmpty)) {
            return Optional.empty();
        }
        stopped.values().stream().flatMap(List::stream).distinct().forEach(svc -> StartIfStopped.refuseUnset(svc, ran.isPresent()));
        String as = ran.map(r -> " as it last ran (" + r.label() + ")").orElse("");
        List<String> changed = ran.map(r -> r.envChanges(config.services().values())).orElse(List.of());
        if (!changed.isEmpty()) { // nothing serves: the colour is started all the same, and the console says so
            note(actions, null, colour + " last ran with another environment than baton.yml gives it today: "
                    + String.join(", ", changed) + " differs; its values are not stored (they may be secrets), so today's are used");
        }
        try {
            // what took its ports meanwhile (another service started at boot) would pass its health checks
            TakenPorts.refuse(servers, restored, colour, (s, svc) -> stopped.get(s).contains(svc));
            Server.onEach(servers, s -> {
                for (ServiceSpec svc : stopped.get(s)) {
                    s.runtime().start(svc, colour);
                    note(actions, s, "started " + svc.name() + " " + colour + " again" + as + ": it did not run (a reboot?)");
                }
            });
            Wait.of(colour + " healthy after its start", config.deadlines().health(), Duration.ofMillis(200)).until(() -> {
                for (Server s : servers) {
                    for (ServiceSpec svc : stopped.get(s)) {
                        if (!s.runtime().running(svc, colour)) { // it will not get healthy: say so now, with why (one line)
                            List<String> tail = s.runtime().logTail(svc, colour, 1);
                            throw new BatonException(ExitCode.FAILED, (servers.size() > 1 ? s.name() + ": " : "") + svc.name()
                                    + " " + colour + " exited after its start (" + s.runtime().log(svc, colour)
                                    + (tail.isEmpty() ? "" : ": " + tail.get(tail.size() - 1).strip()) + ")");
                        }
                    }
                }
                List<String> p = ColourHealth.problems(servers, config.services().values(), colour, Duration.ZERO);
                return p.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", p));
            });
            return Optional.of(colour);
        } catch (Wait.TimedOut e) {
            note(actions, null, e.getMessage() + " (deadlines.health); what started is left running to look at");
            return Optional.empty();
        } catch (BatonException e) {
            note(actions, null, "could not start " + colour + " again: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** After a killed deploy: what it started and did not hand traffic to is stopped, what it did hand over is recorded. */
    private DeployState settle(Journal j, String serving, DeployState state, List<String> actions) {
        List<String> steps = Deployer.deploySteps().stream().map(Step::name).toList();
        int at = steps.indexOf(j.step());
        boolean deploy = "deploy".equals(j.kind());
        if (j.to() != null && serving.equals(j.to())) {
            // the deploy got past the switch: finish it as it would have
            DeployState after = state;
            if (deploy) {
                ColourRun run = j.run();
                after = new DeployState(j.to(), j.from(), revision(state), j.release(), run == null ? state.commit() : run.commit(),
                        Instant.now().toString(), state.colours());
                if (run != null) {
                    after = after.with(j.to(), run);
                }
                note(actions, null, "recorded " + j.to() + " as active: the " + j.what().substring(2) + " had switched traffic to it");
            } else {
                after = new DeployState(j.to(), j.from(), state.revision(), state.release(), state.commit(), Instant.now().toString(),
                        state.colours());
                note(actions, null, "recorded " + j.to() + " as active: the " + j.what().substring(2) + " had switched traffic to it");
            }
            if (deploy && j.from() != null && at >= steps.indexOf("DrainAndStop")) {
                stopColour(j.from(), true, actions); // its validation had passed: finish the drain and stop
            } else if (j.from() != null) {
                note(actions, null, j.from() + " is left as it is (baton rollback goes back to it)");
            }
            return after;
        }
        if (!deploy && j.startsTarget() && j.to() != null && !j.to().equals(serving)) {
            stopColour(j.to(), false, actions); // started by the killed rollback, as it was before it: stopped
            return state;
        }
        if (deploy && j.to() != null && !j.to().equals(serving)) {
            stopColour(j.to(), false, actions); // started by the killed deploy, never given traffic for good
            boolean neverReached = j.failed() ? !j.trafficMoved() : at >= 0 && at < steps.indexOf("SwitchTraffic");
            if (neverReached && j.revisionBefore() != null && migrator.isPresent()) {
                Optional<List<String>> before = Optional.of(j.revisionBefore().isEmpty() ? List.of()
                        : Arrays.asList(j.revisionBefore().split(",")));
                if (!before.equals(migrator.get().current())) {
                    // the down-migrations are in the folder the deploy read (its release's), which
                    // today's baton.yml may not point at (DEMO_VERSION unset, an older checkout)
                    Optional<Path> theirs = Optional.ofNullable(j.migrations()).map(Path::of).filter(Files::isDirectory);
                    Migrator m = theirs.map(migrator.get()::readingFrom).orElse(migrator.get());
                    try {
                        m.revertTo(before);
                    } catch (Migrator.Irreversible e) { // as the deploy's own undo: the serving colour has run on it since
                        note(actions, null, "kept the schema as the deploy migrated it (" + e.getMessage() + ")" + (serving == null
                                ? "" : "; " + serving + " serves on it, as it did since that deploy's Migrate"));
                        return state;
                    }
                    note(actions, null, "reverted the schema to " + (j.revisionBefore().isEmpty() ? "(empty)" : j.revisionBefore())
                            + ": traffic never reached " + j.to() + theirs.filter(f -> !migrator.get().folder().equals(Optional.of(f)))
                            .map(f -> " (with the down-migrations in " + f + ", the folder that deploy read)").orElse(""));
                }
            }
        }
        return state;
    }

    private void stopColour(String colour, boolean drain, List<String> actions) {
        Server.onEach(servers, s -> {
            if (drain) {
                s.router().drain(colour, config.deadlines().drain());
            }
            boolean stopped = false;
            for (ServiceSpec svc : config.services().values()) {
                if (s.runtime().running(svc, colour)) {
                    s.runtime().stop(svc, colour);
                    stopped = true;
                }
            }
            if (stopped) {
                note(actions, s, (drain ? "drained and stopped " : "stopped ") + colour);
            }
        });
    }

    private static List<String> candidates(Optional<Journal> journal, DeployState state, Map<String, String> routed,
                                           List<String> colours) {
        Set<String> out = new LinkedHashSet<>();
        journal.ifPresent(j -> {
            if (j.failed() && j.from() != null) {
                out.add(j.from()); // it failed: what it was leaving is what it would have gone back to
            }
            if (j.to() != null && routed.containsValue(j.to())) {
                out.add(j.to());
            }
            if (j.from() != null) {
                out.add(j.from());
            }
        });
        routed.values().stream().filter(Objects::nonNull).forEach(out::add);
        if (state.active() != null) {
            out.add(state.active());
        }
        out.retainAll(colours); // one baton.yml does not name cannot be checked (a state.json edited by hand)
        return List.copyOf(out);
    }

    private String revision(DeployState state) {
        try {
            return migrator.flatMap(Migrator::current).map(r -> String.join(",", r)).orElse(state.revision());
        } catch (BatonException e) {
            return state.revision(); // the database does not answer: keep what was known
        }
    }

    private void note(List<String> actions, Server s, String what) {
        String line = (s != null && servers.size() > 1 ? s.name() + ": " : "") + what;
        synchronized (actions) {
            actions.add(line);
        }
        log.line("recover: " + line);
    }
}
