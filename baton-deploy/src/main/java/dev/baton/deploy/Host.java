package dev.baton.deploy;

import java.util.function.Consumer;

/** Where commands run: this machine ({@link LocalHost}) or, later, a server over SSH. */
public interface Host {
    /** A short name for messages: {@code local}, {@code web-1}. */
    String name();

    /** The address its services are reached at from here, for health checks: {@code 127.0.0.1} for this machine. */
    default String address() {
        return "127.0.0.1";
    }

    /**
     * Runs a command to completion or its deadline, passing each output line to {@code lines}
     * as it appears. Never throws for a non-zero exit: the result says what happened.
     */
    CommandResult run(Command command, Consumer<String> lines);

    default CommandResult run(Command command) {
        return run(command, line -> { });
    }

    /** Copies a local file to {@code remote} on this host (configs, static assets). */
    void upload(java.nio.file.Path local, String remote);
}
