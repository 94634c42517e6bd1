package dev.baton.deploy.config;

import dev.baton.deploy.Command;

/**
 * A user command of the gates, build or cleanup lists: an argv list, a shell script the user
 * asked for by name ({@code shell:}), or for gates an HTTP check.
 *
 * @param name shown in the step's detail
 * @param command what to run, or null for an HTTP check
 * @param check the HTTP check, or null
 */
public record Hook(String name, Command command, Check.Http check) {}
