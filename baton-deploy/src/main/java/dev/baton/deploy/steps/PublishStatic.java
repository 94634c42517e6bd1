package dev.baton.deploy.steps;

import dev.baton.deploy.Command;
import dev.baton.deploy.CommandResult;
import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Host;
import dev.baton.deploy.Server;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.runtime.DockerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reference step 9: each service's static assets are copied to {@code <static.to>/<colour>} on
 * the server, a folder of the target colour's own, so the old colour's assets keep serving until
 * the switch; {@code static.owner} is then set on them.
 */
public final class PublishStatic implements Step<DeployContext> {
    @Override
    public String name() {
        return "PublishStatic";
    }

    @Override
    public String run(DeployContext ctx) throws IOException {
        int files = 0;
        boolean any = false;
        for (Server server : ctx.servers()) {
          Host host = server.host();
          for (ServiceSpec s : ctx.config().services().values()) {
            if (s.staticFrom() == null) {
                continue;
            }
            any = true;
            String dest = s.staticTo().resolve(ctx.target()).toString();
            if (server.runtime() instanceof DockerRuntime docker) {
                // the assets are in the new container's image: docker cp them out
                check(host, Command.of("rm", "-rf", "--", dest));
                check(host, Command.of("mkdir", "-p", "--", dest));
                docker.copyOut(s, ctx.target(), s.staticFrom().toString(), dest);
                if (s.staticOwner() != null) {
                    check(host, Command.of("chown", "-R", "--", s.staticOwner(), dest));
                }
                ctx.log().line("published " + docker.container(s, ctx.target()) + ":" + s.staticFrom() + " to " + host.name() + ":" + dest);
                continue;
            }
            if (!Files.isDirectory(s.staticFrom())) {
                throw new IllegalStateException("services." + s.name() + ".static.from: " + s.staticFrom()
                        + " is not a folder; build the assets first (build: in baton.yml)");
            }
            check(host, Command.of("rm", "-rf", "--", dest));
            try (Stream<Path> all = Files.walk(s.staticFrom())) {
                for (Path p : all.sorted().toList()) {
                    String to = dest + (p.equals(s.staticFrom()) ? "" : "/" + s.staticFrom().relativize(p));
                    if (Files.isDirectory(p)) {
                        check(host, Command.of("mkdir", "-p", "--", to));
                    } else {
                        host.upload(p, to);
                        files++;
                    }
                }
            }
            if (s.staticOwner() != null) {
                check(host, Command.of("chown", "-R", "--", s.staticOwner(), dest));
            }
            ctx.log().line("published " + s.staticFrom() + " to " + host.name() + ":" + dest);
          }
        }
        return any ? (files > 0 ? files + " files" : "assets") + " to " + ctx.target() : SKIPPED;
    }

    private static void check(Host host, Command c) {
        CommandResult r = host.run(c);
        if (!r.ok()) {
            throw new IllegalStateException(host.name() + ": `" + c.display() + "` failed:\n" + r.tail(5));
        }
    }

}
