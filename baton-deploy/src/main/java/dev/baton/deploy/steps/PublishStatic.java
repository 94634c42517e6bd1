package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reference step 9: each service's static assets are copied to {@code <static.to>/<colour>} on
 * the server, a folder of the target colour's own, so the old colour's assets keep serving until
 * the switch; {@code static.owner} is then set on them. Assets inside a container's image are
 * copied out by the runtime; otherwise {@code static.from} is a folder here, uploaded file by file.
 */
public final class PublishStatic implements Step<DeployContext> {
    @Override
    public String name() {
        return "PublishStatic";
    }

    @Override
    public StepResult run(DeployContext ctx) throws IOException {
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
                check(host, Command.of("rm", "-rf", "--", dest));
                check(host, Command.of("mkdir", "-p", "--", dest));
                if (!server.runtime().copyStaticOut(s, ctx.target(), s.staticFrom().toString(), dest)) {
                    files += upload(host, s.staticFrom(), dest, s);
                }
                if (s.staticOwner() != null) {
                    check(host, chown(s, dest));
                }
                ctx.log().line("published " + s.name() + " " + ctx.target() + " " + s.staticFrom() + " to " + host.name() + ":" + dest);
            }
        }
        return any ? StepResult.done((files > 0 ? files + " files" : "assets") + " to " + ctx.target()) : StepResult.skipped();
    }

    /** Uploads a local folder, file by file; returns how many files. */
    private static int upload(Host host, Path from, String dest, ServiceSpec s) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new BatonException(ExitCode.FAILED, "services." + s.name() + ".static.from: " + from
                    + " is not a folder; build the assets first (build: in baton.yml)");
        }
        int files = 0;
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted().toList()) {
                if (p.equals(from)) {
                    continue;
                }
                String to = dest + "/" + from.relativize(p);
                if (Files.isDirectory(p)) {
                    check(host, Command.of("mkdir", "-p", "--", to));
                } else {
                    host.upload(p, to);
                    files++;
                }
            }
        }
        return files;
    }

    private static void check(Host host, Command c) {
        CommandResult r = host.run(c);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + c.display() + "` failed:\n" + r.tail(5));
        }
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> notes = new ArrayList<>();
        List<StepPlan.Planned> commands = new ArrayList<>();
        for (Server server : ctx.servers()) {
            for (ServiceSpec s : ctx.config().services().values()) {
                if (s.staticFrom() == null) {
                    continue;
                }
                String dest = s.staticTo().resolve(ctx.target()).toString();
                notes.add(server.name() + ": " + s.name() + " " + s.staticFrom() + " → " + dest
                        + (s.staticOwner() == null ? "" : ", owner " + s.staticOwner()));
                commands.add(StepPlan.Planned.of(server.name(), Command.of("rm", "-rf", "--", dest)));
                commands.add(StepPlan.Planned.of(server.name(), Command.of("mkdir", "-p", "--", dest)));
                if (s.staticOwner() != null) {
                    commands.add(StepPlan.Planned.of(server.name(), chown(s, dest)));
                }
            }
        }
        return notes.isEmpty() ? StepPlan.skipped(name(), "no static: in baton.yml") : StepPlan.runs(name(), notes, commands);
    }

    /** Gives the assets to {@code static.owner}; under {@code sudo -n} (never a password prompt) when {@code static.sudo}. */
    static Command chown(ServiceSpec s, String dest) {
        return s.staticSudo() ? Command.of("sudo", "-n", "chown", "-R", "--", s.staticOwner(), dest)
                : Command.of("chown", "-R", "--", s.staticOwner(), dest);
    }
}
