package dev.baton.deploy.port;

import dev.baton.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing to run on a host, as data: an argv list (never a shell string), extra environment,
 * a working folder and a deadline. Builders return these; a {@link Host} runs them.
 *
 * @param argv program and arguments
 * @param env variables added to the host's environment
 * @param workDir working folder, or null for the host's default
 * @param timeout after this the command is killed and reported as timed out
 */
public record Command(List<String> argv, Map<String, String> env, Path workDir, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null, DEFAULT_TIMEOUT);
    }

    /** A user hook that asked for a shell ({@code shell: "..."} in config); the script is one argument, not pasted. */
    public static Command shell(String script) {
        return of("/bin/sh", "-c", script);
    }

    public Command withEnv(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return new Command(argv, all, workDir, timeout);
    }

    public Command in(Path dir) {
        return new Command(argv, env, dir, timeout);
    }

    public Command timeout(Duration t) {
        return new Command(argv, env, workDir, t);
    }

    /** For logs: the argv, space-joined, with arguments that contain spaces quoted. */
    public String display() {
        StringBuilder s = new StringBuilder();
        for (String a : argv) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(a.isEmpty() || a.matches(".*[\\s'\"].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return Secrets.redact(s.toString());
    }
}
