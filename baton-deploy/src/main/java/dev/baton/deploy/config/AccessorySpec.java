package dev.baton.deploy.config;

import java.util.List;

/**
 * Shared infrastructure (a database, a cache): how to tell it is up, and how to start it if not.
 *
 * @param name the key under accessories
 * @param check how to tell it is healthy
 * @param start argv that starts it, or empty when Baton may only check it
 * @param host the name of the host it runs on (its start and command checks run there), or null for the first
 */
public record AccessorySpec(String name, Check check, List<String> start, String host) {
    public AccessorySpec {
        start = List.copyOf(start);
    }
}
