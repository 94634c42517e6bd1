package dev.baton;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for services that start later (the demo's colours and router, tests' servers).
 * Taken below the kernel's ephemeral range: a port picked there (by binding port 0) can be handed
 * by the kernel to any other socket before the service binds it, which on a busy machine is a
 * real collision. Within this JVM a port is handed out once.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** {@code n} distinct ports nothing listens on now. */
    public static int[] take(int n) {
        int high = ephemeralLow();
        int span = high - LOWEST;
        int[] out = new int[n];
        int found = 0;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span && found < n; i++) {
            int port = LOWEST + (start + i) % span;
            if (bindable(port) && GIVEN.add(port)) {
                out[found++] = port;
            }
        }
        if (found < n) {
            throw new IllegalStateException("no free port left between " + LOWEST + " and " + high);
        }
        return out;
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range), else 32768. */
    private static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
            return low > LOWEST + 1000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
