package dev.baton.deploy.router;

import java.nio.file.Path;
import java.util.Optional;

/** Starts the built-in router in the background when none answers (the CLI runs {@code baton proxy --supervise}). */
@FunctionalInterface
public interface RouterLauncher {
    /** Starts it; what was started, or empty when a supervisor already runs (restarting its router). */
    Optional<Started> launch();

    /** The process started and its log: one that ends before the router answers says why there. */
    record Started(long pid, Path log) {}
}
