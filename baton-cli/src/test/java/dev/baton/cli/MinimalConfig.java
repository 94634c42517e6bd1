package dev.baton.cli;

import dev.baton.testing.Ports;

/** The smallest baton.yml of a deploy: one service on free colour ports, the built-in router on the given ports. */
final class MinimalConfig {
    private MinimalConfig() {}

    /** {@code command} as YAML (an argv list), the router on {@code listen} and {@code admin} of 127.0.0.1. */
    static String of(String command, int listen, int admin) {
        return """
                app: shop
                services:
                  api:
                    command: %s
                    ports: {blue: %d, green: %d}
                    health: none
                router:
                  listen: 127.0.0.1:%d
                  admin: 127.0.0.1:%d
                """.formatted(command, Ports.free(), Ports.free(), listen, admin);
    }
}
