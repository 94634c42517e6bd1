package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.probe.HttpProbe;
import dev.baton.deploy.state.DeployState;
import dev.baton.wait.Wait;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Whether a colour could take traffic now: every service runs and answers its health checks (within a few seconds), on every server. */
public final class ColourHealth {
    /**
     * How long a colour that runs gets to answer: an app whose database was just restarted fails a
     * probe or two while its pool replaces the dead connections, and is not dead for that.
     */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private ColourHealth() {}

    /**
     * The services of {@code colour} to check, as it was started (state.json): not a service added to
     * baton.yml since, which never ran on it, and with its version's own health paths, not a path
     * added since; all of baton.yml's when nothing is recorded.
     */
    public static List<ServiceSpec> of(DeployState state, Collection<ServiceSpec> today, String colour) {
        return state.colour(colour).map(r -> r.asStarted(today)).orElse(List.copyOf(today));
    }

    /** What stops {@code colour} from serving, one line each; empty when it can. */
    public static List<String> problems(List<Server> servers, Collection<ServiceSpec> services, String colour) {
        return problems(servers, services, colour, SETTLE);
    }

    /** As {@link #problems(List, Collection, String)}, with {@code settle} for a colour that runs to answer (zero: one probe). */
    public static List<String> problems(List<Server> servers, Collection<ServiceSpec> services, String colour, Duration settle) {
        List<String> out = new CopyOnWriteArrayList<>();
        Server.onEach(servers, s -> {
            String where = servers.size() > 1 ? s.name() + ": " : "";
            for (ServiceSpec svc : services) {
                if (!s.runtime().running(svc, colour)) {
                    out.add(where + svc.name() + " " + colour + " does not run");
                    continue;
                }
                for (String path : svc.health()) {
                    URI uri = s.host().reach(s.bind(), svc.port(colour)).resolve(path);
                    try {
                        Wait.of(svc.name() + " " + colour + " to answer " + path, settle, Duration.ofMillis(200)).until(() -> {
                            HttpProbe.Answer a = HttpProbe.get(uri, Duration.ofSeconds(2));
                            return a.ok() ? Optional.empty() : Optional.of(a.toString());
                        });
                    } catch (Wait.TimedOut e) {
                        out.add(where + svc.name() + " " + colour + " is not healthy (" + e.lastReason() + ")");
                    }
                }
            }
        });
        return List.copyOf(out);
    }
}
