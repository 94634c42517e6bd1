package dev.baton.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command may use of the outside world: stdout for machines, stderr for people, the
 * environment and the working directory. Injected so tests can capture and control all four.
 */
public record Cli(PrintWriter out, PrintWriter err, Map<String, String> env, Path workDir) {
    /** Resolves a path the user typed against the working directory. */
    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }
}
