package dev.baton.deploy.runtime;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.DockerSettings;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code docker} runtime: each colour of a service is a container named
 * {@code <app>-<service>-<colour>}, labelled with the app, service and colour, with the colour's
 * port published on the host's address and its environment in an owner-only env file (not on a
 * command line, where {@code ps} would show it). Every action is an argv list for the docker CLI
 * (or Podman, which takes the same syntax) run through the {@link Host}.
 */
public final class DockerRuntime implements ServiceRuntime {
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private final Host host;
    private final String app;
    private final DockerSettings docker;
    private final String dir;
    private final String bind;

    /**
     * @param dir the folder on the host for env files
     * @param bind the host address the ports are published on
     */
    public DockerRuntime(Host host, String app, DockerSettings docker, String dir, String bind) {
        this.host = host;
        this.app = app;
        this.docker = docker;
        this.dir = dir;
        this.bind = bind;
    }

    /** The container of a service's colour. */
    public String container(ServiceSpec service, String colour) {
        return app + "-" + service.name() + "-" + colour;
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        String name = container(service, colour);
        cli(List.of("rm", "-f", name)); // a leftover of an earlier deploy; absent is fine
        String envFile = dir + "/env/" + name + ".env";
        upload(envFile(service), envFile);
        String address = bind;
        int port = service.port(colour);
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name,
                "--label", "baton.app=" + app, "--label", "baton.service=" + service.name(), "--label", "baton.colour=" + colour,
                "--env-file", envFile, "-e", "PORT=" + port, "-e", "BATON_COLOR=" + colour, "-e", "BATON_HOST=" + address,
                "-p", address + ":" + port + ":" + port));
        run.addAll(docker.runArgs());
        run.add(service.image());
        run.addAll(service.argv());
        check(cli(run), "run " + service.image());
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        CommandResult r = cli(List.of("inspect", "-f", "{{.State.Running}}", container(service, colour)));
        return r.ok() && r.output().strip().equals("true");
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        String name = container(service, colour);
        long seconds = Math.max(1, (service.stopGrace().toMillis() + 999) / 1000);
        cli(List.of("stop", "-t", Long.toString(seconds), name)); // SIGTERM, SIGKILL after the grace; absent is fine
        CommandResult rm = cli(List.of("rm", "-f", name));
        if (!rm.ok() && !rm.output().toLowerCase(java.util.Locale.ROOT).contains("no such container")) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": removing container " + name + " failed:\n" + rm.tail(5));
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return Path.of(docker.cli() + " logs " + container(service, colour));
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        return cli(List.of("logs", "--tail", Integer.toString(lines), container(service, colour))).output().lines().toList();
    }

    /** Copies {@code from} (a folder in the container) to {@code to} on the host: static assets. */
    @Override
    public boolean copyStaticOut(ServiceSpec service, String colour, String from, String to) {
        check(cli(List.of("cp", container(service, colour) + ":" + from + "/.", to)), "cp " + from);
        return true;
    }

    /** Removes unused images older than {@code prune} ({@code image prune} with an until filter); false when not configured. */
    @Override
    public boolean prune() {
        if (docker.pruneUntil() == null) {
            return false;
        }
        check(cli(List.of("image", "prune", "-a", "-f", "--filter", "until=" + docker.pruneUntil())), "image prune");
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
            throw new BatonException(ExitCode.FAILED, "cannot write an env file: " + e.getMessage(), e);
        }
    }

    private void upload(Path local, String remote) {
        try {
            if (host instanceof dev.baton.deploy.local.LocalHost) {
                StateFiles.ensureDir(Path.of(remote).getParent());
            }
            host.upload(local, remote);
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot make " + remote + ": " + e.getMessage(), e);
        } finally {
            local.toFile().delete();
        }
    }

    private CommandResult cli(List<String> subcommand) {
        List<String> argv = new ArrayList<>();
        argv.add(docker.cli());
        argv.addAll(docker.args());
        argv.addAll(subcommand);
        return host.run(new Command(argv, Map.of(), null, DEADLINE));
    }

    private void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": `" + docker.cli() + " " + what + "` failed (exit "
                    + r.exitCode() + "):\n" + r.tail(10));
        }
    }
}
