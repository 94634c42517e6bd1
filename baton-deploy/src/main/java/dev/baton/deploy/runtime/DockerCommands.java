package dev.baton.deploy.runtime;

import dev.baton.deploy.config.DockerSettings;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The docker CLI's commands as data (Kamal's pattern): each method returns the argv of one
 * action and runs nothing; {@link DockerRuntime} runs them through its host. Podman takes the
 * same syntax.
 */
public final class DockerCommands {
    static final Duration DEADLINE = Duration.ofMinutes(5);
    private final String app;
    private final DockerSettings docker;

    public DockerCommands(String app, DockerSettings docker) {
        this.app = app;
        this.docker = docker;
    }

    /** The container of a service's colour: {@code <app>-<service>-<colour>}. */
    public String container(ServiceSpec service, String colour) {
        return app + "-" + service.name() + "-" + colour;
    }

    /** Starts the colour detached, labelled, its env from {@code envFile}, its port published on {@code bind}. */
    public Command run(ServiceSpec service, String colour, String envFile, String bind) {
        int port = service.port(colour);
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", container(service, colour),
                "--label", "baton.app=" + app, "--label", "baton.service=" + service.name(), "--label", "baton.colour=" + colour,
                "--env-file", envFile, "-e", "PORT=" + port, "-e", "BATON_COLOR=" + colour, "-e", "BATON_HOST=" + bind,
                "-p", bind + ":" + port + ":" + port));
        if (service.startLow()) { // a tenth of a normal container's CPU weight until update() raises it
            run.addAll(List.of("--cpu-shares", Integer.toString(LOW_SHARES)));
        }
        run.addAll(docker.runArgs());
        run.add(service.image());
        run.addAll(service.argv());
        return cli(run);
    }

    /** The CPU weight of a starting colour ({@code start_priority: low}), and of a normal container. */
    static final int LOW_SHARES = 102;
    static final int NORMAL_SHARES = 1024;

    /** Raises the colour to a normal container's CPU weight. */
    public Command raise(ServiceSpec service, String colour) {
        return cli(List.of("update", "--cpu-shares", Integer.toString(NORMAL_SHARES), container(service, colour)));
    }

    /** Prints {@code true} while the container runs. */
    public Command running(ServiceSpec service, String colour) {
        return cli(List.of("inspect", "-f", "{{.State.Running}}", container(service, colour)));
    }

    /** Prints the container's network mode ({@code host} when it shares the host's network and publishes nothing). */
    public Command networkMode(ServiceSpec service, String colour) {
        return cli(List.of("inspect", "-f", "{{.HostConfig.NetworkMode}}", container(service, colour)));
    }

    /** Prints where the colour's port is published on the host ({@code 127.0.0.1:8001}); nothing when it is not. */
    public Command publishedPort(ServiceSpec service, String colour) {
        return cli(List.of("port", container(service, colour), service.port(colour) + "/tcp"));
    }

    /** SIGTERM, then SIGKILL after the service's grace (whole seconds, at least one). */
    public Command stop(ServiceSpec service, String colour) {
        long seconds = Math.max(1, (service.stopGrace().toMillis() + 999) / 1000);
        return cli(List.of("stop", "-t", Long.toString(seconds), container(service, colour)));
    }

    public Command remove(ServiceSpec service, String colour) {
        return cli(List.of("rm", "-f", container(service, colour)));
    }

    public Command logs(ServiceSpec service, String colour, int lines) {
        return cli(List.of("logs", "--tail", Integer.toString(lines), container(service, colour)));
    }

    /** Copies the contents of {@code from} in the container to {@code to} on the host. */
    public Command copyOut(ServiceSpec service, String colour, String from, String to) {
        return cli(List.of("cp", container(service, colour) + ":" + from + "/.", to));
    }

    /** Unused images older than {@code until} (a docker duration such as {@code 168h}). */
    public Command pruneImages(String until) {
        return cli(List.of("image", "prune", "-a", "-f", "--filter", "until=" + until));
    }

    /** Prints the image's id; fails when the host lacks it. */
    public Command imageId(String image) {
        return cli(List.of("image", "inspect", "-f", "{{.Id}}", image));
    }

    /** Writes the image as an archive on stdout. */
    public Command save(String image) {
        return cli(List.of("save", image)).timeout(Duration.ofHours(1));
    }

    /** Decompresses the gzip stream on stdin into the engine's load (Podman 4 loads no compressed archive itself). */
    static final String LOAD = "gzip -dc | \"$@\" load";

    /** Loads a gzip-compressed image archive from stdin. */
    public Command load() {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", LOAD, "baton-load", docker.cli()));
        argv.addAll(docker.args());
        return new Command(argv, Map.of(), null, Duration.ofHours(1));
    }

    private Command cli(List<String> subcommand) {
        List<String> argv = new ArrayList<>();
        argv.add(docker.cli());
        argv.addAll(docker.args());
        argv.addAll(subcommand);
        return new Command(argv, Map.of(), null, DEADLINE);
    }
}
