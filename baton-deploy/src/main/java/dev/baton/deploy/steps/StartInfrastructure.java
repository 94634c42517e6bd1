package dev.baton.deploy.steps;

import dev.baton.deploy.Command;
import dev.baton.deploy.CommandResult;
import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Host;
import dev.baton.deploy.HttpProbe;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.AccessorySpec;
import dev.baton.deploy.config.Check;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Reference step 6: every accessory (PostgreSQL, Redis...) passes its check; one that does not
 * is started with its start command on its host (the first host unless it names one), then polled until it passes or its deadline. Accessories
 * are shared by both colours, so a failed deploy leaves them running.
 */
public final class StartInfrastructure implements Step<DeployContext> {
    @Override
    public String name() {
        return "StartInfrastructure";
    }

    @Override
    public String run(DeployContext ctx) {
        if (ctx.config().accessories().isEmpty()) {
            return SKIPPED;
        }
        List<String> started = new ArrayList<>();
        for (AccessorySpec a : ctx.config().accessories().values()) {
            Host host = ctx.servers().stream().filter(s -> s.name().equals(a.host())).map(Server::host).findFirst()
                    .orElse(ctx.host());
            String why = check(host, ctx, a.check());
            if (why == null) {
                continue;
            }
            if (a.start().isEmpty()) {
                throw new IllegalStateException("accessory " + a.name() + " is down (" + a.check().describe() + ": " + why
                        + ") and has no start command; start it, or add accessories." + a.name() + ".start");
            }
            ctx.log().line("accessory " + a.name() + " is down (" + why + "); starting it");
            Command start = new Command(a.start(), java.util.Map.of(), workDir(host, ctx), Duration.ofMinutes(5));
            CommandResult r = host.run(start, line -> ctx.log().line("  " + line));
            if (!r.ok()) {
                throw new IllegalStateException("accessory " + a.name() + ": `" + start.display() + "` exited with "
                        + r.exitCode() + ":\n" + r.tail(10));
            }
            long deadline = System.nanoTime() + ctx.config().deadlines().accessory().toNanos();
            while ((why = check(host, ctx, a.check())) != null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("accessory " + a.name() + " was started but " + a.check().describe()
                            + " still fails after " + ctx.config().deadlines().accessory().toSeconds() + " s: " + why);
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted (Ctrl-C or SIGTERM) while waiting");
            }
            }
            started.add(a.name());
        }
        int n = ctx.config().accessories().size();
        return started.isEmpty() ? n + " healthy" : "started " + String.join(", ", started) + "; " + n + " healthy";
    }

    /** The config's folder on this machine; on a server, the login folder. */
    private static java.nio.file.Path workDir(Host host, DeployContext ctx) {
        return host instanceof dev.baton.deploy.LocalHost ? ctx.config().dir() : null;
    }

    /** Null when healthy, else why not. */
    static String check(Host host, DeployContext ctx, Check check) {
        if (check instanceof Check.Tcp tcp) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(tcp.host(), tcp.port()), 2000);
                return null;
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        if (check instanceof Check.Http http) {
            HttpProbe.Answer a = HttpProbe.get(http.uri(), Duration.ofSeconds(5));
            return a.ok() ? null : a.toString();
        }
        Check.Exec exec = (Check.Exec) check;
        CommandResult r = host.run(new Command(exec.argv(), java.util.Map.of(), workDir(host, ctx), Duration.ofSeconds(30)));
        return r.ok() ? null : "exit " + r.exitCode() + " " + r.tail(3);
    }
}
