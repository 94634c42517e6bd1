package dev.baton.deploy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A user command of the gates, build or cleanup lists: an argv list (a shell script the user
 * asked for by name, {@code shell:}, is {@code /bin/sh -c script}), or for gates an HTTP check.
 *
 * @param name shown in the step's detail
 * @param argv what to run, empty for an HTTP check
 * @param dir where it runs on this machine (the config's folder unless {@code dir:} says)
 * @param timeout after this it is killed
 * @param check the HTTP check, or null
 */
public record Hook(String name, List<String> argv, Path dir, Duration timeout, Check.Http check) {
    public Hook {
        argv = List.copyOf(argv);
    }
}
