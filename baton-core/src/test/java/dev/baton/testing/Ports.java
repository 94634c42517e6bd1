package dev.baton.testing;

import dev.baton.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/** Free loopback ports for tests' servers. */
public final class Ports {
    private Ports() {}

    /** A port nothing listens on now, never handed out twice in this JVM (see {@link FreePorts}). */
    public static int free() {
        return FreePorts.take(1)[0];
    }

    /** Whether something accepts connections on the loopback port. */
    public static boolean listening(int port) {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
