package dev.baton.deploy.port;

import dev.baton.deploy.config.ServiceSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Starts, stops and inspects one colour of a service: the {@code Runtime} port of the design. */
public interface ServiceRuntime {
    /** Starts the service on its colour's port and returns once it is launched (not yet healthy). */
    void start(ServiceSpec service, String colour);

    /**
     * Why {@link #start} would fail before anything starts (its program is not there), said without
     * starting anything, for a plan; empty when it would start or this runtime cannot tell.
     */
    default Optional<String> cannotStart(ServiceSpec service) {
        return Optional.empty();
    }

    /** Whether the colour of the service is running. */
    boolean running(ServiceSpec service, String colour);

    /** The process id of the running colour, where the runtime knows it (local processes). */
    default Optional<Long> pid(ServiceSpec service, String colour) {
        return Optional.empty();
    }

    /**
     * Why the colour's port is not served by what this runtime started, one line each; empty when
     * it is, or when the runtime cannot tell. (Local processes are checked by pid instead.)
     */
    default List<String> listenerProblems(ServiceSpec service, String colour) {
        return List.of();
    }

    /**
     * Raises the colour to normal CPU priority ({@code start_priority: low} started it below the
     * serving colour): called just before it gets traffic. Does nothing where it started normal.
     */
    default void raisePriority(ServiceSpec service, String colour) {
    }

    /** Stops it: SIGTERM, then SIGKILL after its grace period. Does nothing if it is not running. */
    void stop(ServiceSpec service, String colour);

    /** Where its output goes (a path on the host it runs on). */
    Path log(ServiceSpec service, String colour);

    /**
     * Copies the colour's static assets from {@code from} inside what runs it (a container's image)
     * to {@code to} on its host. False when this runtime runs local files: then the assets are a
     * folder on this machine, uploaded by the step.
     */
    default boolean copyStaticOut(ServiceSpec service, String colour, String from, String to) {
        return false;
    }

    /** Removes what old releases left behind (unused images); false when there is nothing to do. */
    default boolean prune() {
        return false;
    }

    /** The commands {@link #start} runs on the runtime's host, for a plan; runs nothing. */
    default List<Command> startCommands(ServiceSpec service, String colour) {
        return List.of();
    }

    /** The commands {@link #stop} runs on the runtime's host, for a plan; runs nothing. */
    default List<Command> stopCommands(ServiceSpec service, String colour) {
        return List.of();
    }

    /** The id of {@code image} on this runtime's host; empty when the host lacks it, or the runtime runs no images. */
    default Optional<String> imageId(String image) {
        return Optional.empty();
    }

    /** Writes {@code image} as the engine's archive to {@code out}: this machine's engine, shipping it. */
    default void saveImage(String image, OutputStream out) {
        throw new UnsupportedOperationException("this runtime runs no images");
    }

    /** Loads an image archive (compressed or not) read from {@code archive} to its end. */
    default void loadImage(InputStream archive) {
        throw new UnsupportedOperationException("this runtime runs no images");
    }

    /** The last {@code lines} lines of its output, for error messages. */
    List<String> logTail(ServiceSpec service, String colour, int lines);
}
