package dev.baton.deploy.config;

import java.util.List;

/**
 * Requests the new colour answers before it gets traffic ({@code services.<name>.warmup}), so
 * that its first users do not pay for class loading, JIT compilation and empty pools.
 *
 * @param paths GET paths on the colour's own port, after the migration
 * @param requests how many GETs per path
 * @param concurrency how many at once
 */
public record Warmup(List<String> paths, int requests, int concurrency) {
    public static final int DEFAULT_REQUESTS = 100;
    public static final int DEFAULT_CONCURRENCY = 4;

    public Warmup {
        paths = List.copyOf(paths);
    }
}
