package dev.baton.deploy;

import dev.baton.deploy.config.ServiceSpec;
import java.nio.file.Path;

/** Starts, stops and inspects one colour of a service: the {@code Runtime} port of the design. */
public interface ServiceRuntime {
    /** Starts the service on its colour's port and returns once it is launched (not yet healthy). */
    void start(ServiceSpec service, String colour);

    /** Whether the colour of the service is running. */
    boolean running(ServiceSpec service, String colour);

    /** Stops it: SIGTERM, then SIGKILL after its grace period. Does nothing if it is not running. */
    void stop(ServiceSpec service, String colour);

    /** Where its output goes (a path on the host it runs on). */
    Path log(ServiceSpec service, String colour);

    /** The last {@code lines} lines of its output, for error messages. */
    java.util.List<String> logTail(ServiceSpec service, String colour, int lines);
}
