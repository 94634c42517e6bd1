package dev.baton.deploy.port;

import java.time.Duration;
import java.util.Arrays;

/**
 * What a command did.
 *
 * @param exitCode the process's exit code (-1 when it timed out)
 * @param output stdout and stderr interleaved, as the process wrote them
 * @param elapsed how long it ran
 * @param timedOut whether it was killed at its deadline
 */
public record CommandResult(int exitCode, String output, Duration elapsed, boolean timedOut) {
    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The last {@code lines} lines of output, for error messages. */
    public String tail(int lines) {
        String[] all = output.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }
}
