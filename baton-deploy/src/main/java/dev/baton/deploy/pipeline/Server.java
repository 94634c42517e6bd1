package dev.baton.deploy.pipeline;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.port.TrafficRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One server of a deploy: where commands run, what runs the services there, and its router.
 *
 * @param name the host's name, for messages
 * @param bind the address the services listen on there (BATON_HOST), where nginx and health checks reach them
 * @param runtimes the runtime of a kind a colour was recorded as started by ({@code [process]},
 *     {@code [docker, podman, ...]}): {@code runtime} for today's kind, another for a kind baton.yml no longer uses
 */
public record Server(String name, Host host, ServiceRuntime runtime, TrafficRouter router, String bind,
                     Function<List<String>, ServiceRuntime> runtimes) {
    /** A server whose colours all ran on {@code runtime}. */
    public Server(String name, Host host, ServiceRuntime runtime, TrafficRouter router, String bind) {
        this(name, host, runtime, router, bind, kind -> runtime);
    }

    /** What stops a colour recorded as started by {@code kind} (empty: recorded before Baton kept it, so today's). */
    public ServiceRuntime runtimeFor(List<String> kind) {
        return kind.isEmpty() ? runtime : runtimes.apply(kind);
    }

    /**
     * Runs {@code action} on every server at once and waits for all of them; if any failed, throws
     * the first failure (in server order) after the others have finished, naming its server when
     * there are several.
     */
    public static void onEach(List<Server> servers, Consumer<Server> action) {
        if (servers.size() == 1) {
            action.accept(servers.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(servers.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Server s : servers) {
                futures.add(pool.submit(() -> action.accept(s)));
            }
            RuntimeException first = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r
                                : new BatonException(ExitCode.FAILED, servers.get(i).name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BatonException(ExitCode.FAILED, "interrupted (Ctrl-C or SIGTERM)", e);
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
