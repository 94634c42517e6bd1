package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.probe.PortProbe;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * Before a colour starts: a port of it that something else listens on would let that process pass
 * the health checks and take the traffic, while the service fails to bind (or its runtime fails
 * with "address already in use", naming nobody). Refused with what holds each port, on its host.
 */
public final class TakenPorts {
    private TakenPorts() {}

    /** Refuses if a port of the target colour is taken for any service {@code starts} says will start on a server. */
    static void refuse(DeployContext ctx, BiPredicate<Server, ServiceSpec> starts) {
        refuse(ctx.servers(), ctx.config().services().values(), ctx.target(), starts);
    }

    /** Refuses if a port of {@code colour} is taken for any of {@code services} that {@code starts} says will start on a server. */
    public static void refuse(List<Server> servers, Collection<ServiceSpec> services, String colour,
                              BiPredicate<Server, ServiceSpec> starts) {
        List<String> taken = new CopyOnWriteArrayList<>();
        Server.onEach(servers, server -> {
            for (ServiceSpec s : services) {
                if (!starts.test(server, s)) {
                    continue;
                }
                int port = s.port(colour);
                PortProbe.taken(server.host(), port).ifPresent(who -> taken.add(
                        (servers.size() > 1 ? server.name() + ": " : "") + "port " + port + " of services." + s.name()
                                + "." + colour + " is taken by " + who));
            }
        });
        if (!taken.isEmpty()) {
            throw new BatonException(ExitCode.FAILED, String.join("; ", taken) + "; nothing was started. Stop what listens"
                    + " there, or give " + colour + " another port in baton.yml");
        }
    }
}
