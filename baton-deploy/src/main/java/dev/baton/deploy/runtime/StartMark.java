package dev.baton.deploy.runtime;

import dev.baton.deploy.config.ServiceSpec;
import java.time.Instant;
import java.util.List;

/**
 * The line written to a colour's log before each start (the log is appended to across starts),
 * so that the tail shown when a colour fails holds this start's output, not an earlier one's.
 */
final class StartMark {
    private static final String PREFIX = "--- baton started ";

    private StartMark() {}

    static String line(ServiceSpec service, String colour) {
        return PREFIX + service.name() + " " + colour + " at " + Instant.now() + " ---";
    }

    /** The lines of {@code tail} after its last start mark (all of them when it holds none). */
    static List<String> since(List<String> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (tail.get(i).startsWith(PREFIX)) {
                return List.copyOf(tail.subList(i + 1, tail.size()));
            }
        }
        return tail;
    }
}
