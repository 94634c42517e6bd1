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
 */
public record ServiceSpec(String name, List<String> argv, Map<String, String> env, Path workDir,
                          Map<String, Integer> ports, List<String> health, Path staticFrom, Path staticTo,
                          String staticOwner, Duration stopGrace, String image, Warmup warmup) {
    public ServiceSpec {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env)); // file order
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports)); // file order
        health = List.copyOf(health);
    }

    public int port(String colour) {
        return ports.get(colour);
    }
}
