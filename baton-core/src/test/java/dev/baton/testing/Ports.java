package dev.baton.testing;

import dev.baton.FreePorts;

/** Free loopback ports for tests' servers. */
public final class Ports {
    private Ports() {}

    /** A port nothing listens on now, never handed out twice in this JVM (see {@link FreePorts}). */
    public static int free() {
        return FreePorts.take(1)[0];
    }
}
