package dev.baton.deploy.config;

import java.util.List;

/**
 * {@code runtime: {type: docker}}: how to drive the docker CLI (or a compatible one, Podman).
 *
 * @param cli the program: docker, podman, or a path
 * @param args arguments before every subcommand (e.g. {@code [--runtime, runc]})
 * @param runArgs extra arguments to {@code run} (e.g. {@code [--init, --memory, 512m]})
 * @param pruneUntil Cleanup prunes unused images older than this ({@code 168h}), or null for no pruning
 * @param shipOverSsh {@code ship: ssh}: the images are sent from this machine to each server that lacks them
 *     ({@code save}, compressed, over the SSH connection, {@code load}); false: servers pull them from a registry
 */
public record DockerSettings(String cli, List<String> args, List<String> runArgs, String pruneUntil, boolean shipOverSsh) {
    public DockerSettings {
        args = List.copyOf(args);
        runArgs = List.copyOf(runArgs);
    }
}
