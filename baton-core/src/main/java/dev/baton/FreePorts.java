package dev.baton;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for services that start later (the demo's colours and router, tests' servers).
 * Taken below the kernel's ephemeral range: a port picked there (by binding port 0) can be handed
 * by the kernel to any other socket before the service binds it, which on a busy machine is a
 * real collision. A port is handed out once while this JVM lives, and not to another JVM of this
 * user that uses this class meanwhile (a `baton demo` beside the tests that started it): each
 * holds a lock on a file per port it gave (in {@code <tmp>/baton-ports-<user>}, one small file per
 * port ever given), which the system lets go when the JVM ends.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
    /** The locks of the ports given, held open for the life of this JVM. */
    private static final List<FileLock> HELD = new CopyOnWriteArrayList<>();
    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"),
            "baton-ports-" + System.getProperty("user.name", "user"));

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
            if (bindable(port) && reserve(port)) {
                out[found++] = port;
            }
        }
        if (found < n) {
            throw new IllegalStateException("no free port left between " + LOWEST + " and " + high);
        }
        return out;
    }

    /** Takes {@code port} for this JVM: false when this JVM or another one holds it already. */
    static boolean reserve(int port) {
        if (!GIVEN.add(port)) {
            return false;
        }
        try {
            PrivateFiles.ensureDir(DIR);
            if (!Files.getOwner(DIR, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
                return true; // a folder of somebody else's under that name: coordinate nothing through it
            }
            FileChannel file = FileChannel.open(DIR.resolve(Integer.toString(port)), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = file.tryLock();
            if (lock == null) {
                file.close();
                GIVEN.remove(port);
                return false; // another JVM gave it and still runs
            }
            HELD.add(lock);
            return true;
        } catch (IOException | OverlappingFileLockException e) {
            return true; // no folder to coordinate in: this JVM's own bookkeeping still holds
        }
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
