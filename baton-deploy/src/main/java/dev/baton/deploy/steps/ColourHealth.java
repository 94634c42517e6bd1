package dev.baton.deploy.steps;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.probe.HttpProbe;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Whether a colour could take traffic now: every service runs and answers its health checks, on every server. */
public final class ColourHealth {
    private ColourHealth() {}

    /** What stops {@code colour} from serving, one line each; empty when it can. */
    public static List<String> problems(List<Server> servers, Collection<ServiceSpec> services, String colour) {
        List<String> out = new CopyOnWriteArrayList<>();
        Server.onEach(servers, s -> {
            String where = servers.size() > 1 ? s.name() + ": " : "";
            for (ServiceSpec svc : services) {
                if (!s.runtime().running(svc, colour)) {
                    out.add(where + svc.name() + " " + colour + " does not run");
                    continue;
                }
                for (String path : svc.health()) {
                    HttpProbe.Answer a = HttpProbe.get(s.host().reach(s.bind(), svc.port(colour)).resolve(path), Duration.ofSeconds(2));
                    if (!a.ok()) {
                        out.add(where + svc.name() + " " + colour + " is not healthy (" + a + ")");
                    }
                }
            }
        });
        return List.copyOf(out);
    }
}
