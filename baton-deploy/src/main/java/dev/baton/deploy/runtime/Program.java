package dev.baton.deploy.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a service's program can start on this machine, looked up as the shell that starts it
 * does ({@code execvp}: a name with a {@code /} from the service's folder, any other on PATH).
 * Asked before the start, because a colour whose program is missing only exits with a shell's
 * "not found" in its log, which the deploy reports as a failed health check.
 */
final class Program {
    private Program() {}

    /**
     * @param program the service's argv[0]
     * @param dir the folder it starts in
     * @param path the PATH it starts with
     * @return why it cannot start, or empty when it can
     */
    static Optional<String> problem(String program, Path dir, String path) {
        if (program.contains("/")) {
            Path file = dir.resolve(program).normalize();
            if (Files.isDirectory(file)) {
                return Optional.of("`" + program + "` is a folder (" + file + "), not a program");
            }
            if (!Files.exists(file)) {
                return Optional.of("`" + program + "` does not exist (" + file + "); build it first (a build: step runs before"
                        + " the start), or correct the path" + (program.startsWith("/") ? "" : ", which is read from the service's"
                        + " folder " + dir));
            }
            return Files.isExecutable(file) ? Optional.empty() : Optional.of(notExecutable(program, file));
        }
        String dirs = path == null ? "" : path;
        Path notRunnable = null;
        for (String entry : dirs.split(":", -1)) {
            Path file = (entry.isEmpty() ? dir : dir.resolve(entry)).resolve(program);
            if (Files.isRegularFile(file)) {
                if (Files.isExecutable(file)) {
                    return Optional.empty();
                }
                notRunnable = notRunnable == null ? file : notRunnable;
            }
        }
        if (notRunnable != null) {
            return Optional.of(notExecutable(program, notRunnable));
        }
        return Optional.of("`" + program + "` is not a program on this machine's PATH (" + dirs + "); check its spelling,"
                + " install it, or write its full path");
    }

    private static String notExecutable(String program, Path file) {
        return "`" + program + "` (" + file + ") is not executable: chmod +x " + file + ", or name its interpreter"
                + " first in command: (e.g. [sh, " + program + "])";
    }
}
