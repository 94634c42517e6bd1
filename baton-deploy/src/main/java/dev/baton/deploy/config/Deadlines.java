package dev.baton.deploy.config;

import java.time.Duration;

/**
 * How long each wait may last ({@code deadlines:} in baton.yml).
 *
 * @param health until every health endpoint answers 2xx
 * @param warmup for all the warm-up requests of a deploy
 * @param drain until the old colour has no request in flight
 * @param accessory until a started accessory passes its check
 * @param validate until the public URLs answer through the router
 * @param lock how long to wait for another deploy's lock (0: refuse at once)
 */
public record Deadlines(Duration health, Duration warmup, Duration drain, Duration accessory, Duration validate, Duration lock) {
    public static final Deadlines DEFAULT = new Deadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ZERO);
}
