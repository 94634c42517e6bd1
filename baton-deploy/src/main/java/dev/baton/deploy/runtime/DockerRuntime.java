package dev.baton.deploy.runtime;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.deploy.config.DockerSettings;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code docker} runtime: each colour of a service is a container named
 * {@code <app>-<service>-<colour>}, labelled with the app, service and colour, with the colour's
 * port published on the host's address and its environment in an owner-only env file (not on a
 * command line, where {@code ps} would show it). Every action is an argv list for the docker CLI
 * (or Podman, which takes the same syntax) run through the {@link Host}.
 */
public final class DockerRuntime implements ServiceRuntime {
    private final Host host;
    private final DockerCommands commands;
    private final DockerSettings docker;
    private final String dir;
    private final String bind;

    /**
     * @param dir the folder on the host for env files
     * @param bind the host address the ports are published on
     */
    public DockerRuntime(Host host, String app, DockerSettings docker, String dir, String bind) {
        this.host = host;
        this.commands = new DockerCommands(app, docker);
        this.docker = docker;
        this.dir = dir;
        this.bind = bind;
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        host.run(commands.remove(service, colour)); // a leftover of an earlier deploy; absent is fine
        String envFile = dir + "/env/" + commands.container(service, colour) + ".env";
        upload(envFile(service), envFile);
        check(commands.run(service, colour, envFile, bind), "run " + service.image());
    }

    @Override
    public List<Command> startCommands(ServiceSpec service, String colour) {
        return List.of(commands.remove(service, colour),
                commands.run(service, colour, dir + "/env/" + commands.container(service, colour) + ".env", bind));
    }

    @Override
    public List<Command> stopCommands(ServiceSpec service, String colour) {
        return List.of(commands.stop(service, colour), commands.remove(service, colour));
    }

    @Override
    public Optional<String> imageId(String image) {
        CommandResult r = host.run(commands.imageId(image));
        String id = r.output().strip();
        return r.ok() && !id.isEmpty() && !id.contains("\n") ? Optional.of(id) : Optional.empty();
    }

    @Override
    public void saveImage(String image, OutputStream out) {
        CommandResult r = host.pipe(commands.save(image), null, out);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + commands.save(image).display() + "` failed:\n" + r.tail(5));
        }
    }

    @Override
    public void loadImage(InputStream archive) {
        CommandResult r = host.pipe(commands.load(), archive, null);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + commands.load().display() + "` failed:\n" + r.tail(5));
        }
    }

    @Override
    public void raisePriority(ServiceSpec service, String colour) {
        if (service.startLow()) {
            check(commands.raise(service, colour), "update --cpu-shares of " + commands.container(service, colour));
        }
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        CommandResult r = host.run(commands.running(service, colour));
        if (!r.ok() && !r.output().toLowerCase(Locale.ROOT).contains("no such")) {
            // the engine did not answer (its daemon is down): "not running" would be a guess, and a wrong one
            throw new BatonException(ExitCode.FAILED, host.name() + ": cannot tell whether container "
                    + commands.container(service, colour) + " runs: " + r.tail(2).strip());
        }
        return r.ok() && r.output().strip().equals("true");
    }

    /**
     * The container must hold its port's publication: then the runtime's own proxy listens for it
     * and nothing else can. A container on the host's network publishes nothing and is not checked.
     */
    @Override
    public List<String> listenerProblems(ServiceSpec service, String colour) {
        if (host.run(commands.networkMode(service, colour)).output().strip().equals("host")) {
            return List.of();
        }
        int port = service.port(colour);
        CommandResult r = host.run(commands.publishedPort(service, colour));
        if (r.ok() && r.output().lines().anyMatch(l -> l.strip().endsWith(":" + port))) {
            return List.of();
        }
        return List.of(host.name() + ": container " + commands.container(service, colour) + " does not publish port " + port
                + " (" + docker.cli() + " port: " + (r.output().isBlank() ? "nothing" : r.output().strip()) + ")");
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        host.run(commands.stop(service, colour)); // absent is fine
        CommandResult rm = host.run(commands.remove(service, colour));
        if (!rm.ok() && !rm.output().toLowerCase(Locale.ROOT).contains("no such container")) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": removing container " + commands.container(service, colour)
                    + " failed:\n" + rm.tail(5));
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return Path.of(docker.cli() + " logs " + commands.container(service, colour));
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        return host.run(commands.logs(service, colour, lines)).output().lines().toList();
    }

    /** Copies {@code from} (a folder in the container) to {@code to} on the host: static assets. */
    @Override
    public boolean copyStaticOut(ServiceSpec service, String colour, String from, String to) {
        check(commands.copyOut(service, colour, from, to), "cp " + from);
        return true;
    }

    /** Removes unused images older than {@code prune} ({@code image prune} with an until filter); false when not configured. */
    @Override
    public boolean prune() {
        if (docker.pruneUntil() == null) {
            return false;
        }
        check(commands.pruneImages(docker.pruneUntil()), "image prune");
        return true;
    }

    private Path envFile(ServiceSpec service) {
        Map<String, String> env = new LinkedHashMap<>(service.env());
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().contains("\n")) {
                throw BatonException.usage("services." + service.name() + ".env." + e.getKey()
                        + ": a value for a container's env file cannot span lines");
            }
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try {
            Path f = Files.createTempFile("baton-env-", ".env",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot write an env file: " + IoReason.of(e), e);
        }
    }

    private void upload(Path local, String remote) {
        try {
            host.upload(local, remote);
        } finally {
            local.toFile().delete();
        }
    }

    private void check(Command c, String what) {
        CommandResult r = host.run(c);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + docker.cli() + " " + what + "` failed (exit "
                    + r.exitCode() + "):\n" + r.tail(10));
        }
    }
}
