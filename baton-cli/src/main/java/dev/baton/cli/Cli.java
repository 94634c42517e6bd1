package dev.baton.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What every command may use of the outside world: stdout for machines, stderr for people, the
 * environment and the working directory; and this program as a process: {@code baton}, the argv
 * that starts another baton (the Java executable first: the router a deploy leaves running), and
 * whether the command has the process to itself ({@code ownProcess}: a deploy lowers its own CPU
 * priority only then, not inside another program, as the tests run commands). Injected so tests
 * can capture and control all of it.
 */
public record Cli(PrintWriter out, PrintWriter err, Map<String, String> env, Path workDir, List<String> baton, boolean ownProcess) {
    public Cli {
        baton = List.copyOf(baton);
    }

    /** A command run inside another program: another baton is this JVM's Java and class path. */
    public Cli(PrintWriter out, PrintWriter err, Map<String, String> env, Path workDir) {
        this(out, err, env, workDir, thisJvm(), false);
    }

    /** The same outside world with another environment. */
    public Cli withEnv(Map<String, String> other) {
        return new Cli(out, err, other, workDir, baton, ownProcess);
    }

    /** Resolves a path the user typed against the working directory. */
    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }

    /** Baton's main class on this JVM's Java and class path. */
    public static List<String> thisJvm() {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
    }
}
