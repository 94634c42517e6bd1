package dev.baton.deploy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of the app, as {@code services.<name>} says.
 *
 * @param name the key under services
 * @param argv how to start it (the runtime adds PORT, BATON_COLOR and BATON_HOST to its environment);
 *     with the docker runtime, the command run in the image (empty: the image's own)
 * @param env extra environment
 * @param workDir the folder it starts in
 * @param ports port per colour
 * @param health paths polled on the colour's port until all answer 2xx
 * @param staticFrom folder of static assets to publish, or null
 * @param staticTo where they go: {@code <staticTo>/<colour>}
 * @param staticOwner user[:group] to give them to, or null
 * @param stopGrace how long SIGTERM has before SIGKILL
 * @param image the image to run (docker runtime), or null
 * @param warmup requests answered before traffic moves, or null
 * @param staticSudo whether the chown of the static assets runs under {@code sudo -n}
 * @param startLow {@code start_priority: low} (the default): the new colour starts, warms up and is migrated for at
 *     a lower CPU priority than the colour serving, and is raised to normal just before it gets traffic
 * @param versionedEnv the keys of {@code env} whose value names {@code ${baton.version}}, with that value as written
 *     there and every other variable filled in: a colour started again (rollback, recover) fills in its own version
 */
public record ServiceSpec(String name, List<String> argv, Map<String, String> env, Path workDir,
                          Map<String, Integer> ports, List<String> health, Path staticFrom, Path staticTo,
                          String staticOwner, Duration stopGrace, String image, Warmup warmup, boolean staticSudo,
                          boolean startLow, Map<String, String> versionedEnv) {
    /** How {@code ${baton.version}} stands in {@link #versionedEnv}. */
    public static final String VERSION_REF = "${baton.version}";

    public ServiceSpec {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env)); // file order
        versionedEnv = versionedEnv == null ? Map.of() : Map.copyOf(versionedEnv);
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports)); // file order
        health = List.copyOf(health);
    }

    /** A service at normal priority all along, its static assets chowned without sudo. */
    public ServiceSpec(String name, List<String> argv, Map<String, String> env, Path workDir, Map<String, Integer> ports,
                       List<String> health, Path staticFrom, Path staticTo, String staticOwner, Duration stopGrace, String image,
                       Warmup warmup) {
        this(name, argv, env, workDir, ports, health, staticFrom, staticTo, staticOwner, stopGrace, image, warmup, false, false);
    }

    /** A service whose environment names no {@code ${baton.version}}. */
    public ServiceSpec(String name, List<String> argv, Map<String, String> env, Path workDir, Map<String, Integer> ports,
                       List<String> health, Path staticFrom, Path staticTo, String staticOwner, Duration stopGrace, String image,
                       Warmup warmup, boolean staticSudo, boolean startLow) {
        this(name, argv, env, workDir, ports, health, staticFrom, staticTo, staticOwner, stopGrace, image, warmup, staticSudo,
                startLow, Map.of());
    }

    /** The same service, started in {@code dir}. */
    public ServiceSpec in(Path dir) {
        return new ServiceSpec(name, argv, env, dir, ports, health, staticFrom, staticTo, staticOwner, stopGrace, image, warmup,
                staticSudo, startLow, versionedEnv);
    }

    /**
     * The environment of {@code version}: each value that names {@code ${baton.version}} filled in with it
     * (for a colour started again as it ran); today's when {@code version} is null.
     */
    public Map<String, String> envOf(String version) {
        if (version == null || versionedEnv.isEmpty()) {
            return env;
        }
        Map<String, String> out = new LinkedHashMap<>(env);
        versionedEnv.forEach((k, v) -> out.put(k, v.replace(VERSION_REF, version)));
        return out;
    }

    public int port(String colour) {
        return ports.get(colour);
    }
}
