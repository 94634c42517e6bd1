package dev.baton.cli.proxy;

import dev.baton.PrivateFiles;
import dev.baton.proxy.Router;
import dev.baton.proxy.RouterSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A router process kept ready by its supervisor: most of a restart is the JVM starting and
 * loading Jetty, so the standby does that ahead of time (a throwaway router on ephemeral
 * loopback ports, one request through each server), then waits for one line on stdin. When the
 * serving router dies the supervisor writes it, and the standby starts the real router, reading
 * the colour from the state file at that moment.
 */
final class StandbyRouter {
    private StandbyRouter() {}

    /** Warms up in {@code scratch}, then blocks until told to serve (true) or until the supervisor is gone (false). */
    static boolean awaitTurn(RouterSettings settings, Path scratch) throws IOException {
        warmUp(settings, scratch);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return in.readLine() != null;
    }

    /**
     * A folder of the state folder, not of /tmp: the supervisor may stop this process in the middle
     * (SIGTERM), while the warm-up still writes, and what that leaves is removed by the next warm-up
     * instead of piling up.
     */
    private static void warmUp(RouterSettings settings, Path scratch) throws IOException {
        delete(scratch);
        PrivateFiles.ensureDir(scratch);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Router r = new Router(new RouterSettings(any, any, settings.token(), settings.routes(), scratch.resolve("state.json"),
                settings.initialColour()));
        try {
            r.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.adminPort() + "/status"))
                    .header("Authorization", "Bearer " + settings.token()));
            send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.publicPort() + "/")));
        } catch (RuntimeException e) {
            // a warm-up that fails costs only its speed-up: the real start reports real problems
        } finally {
            r.close();
            delete(scratch);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static void send(HttpClient http, HttpRequest.Builder req) {
        try {
            http.send(req.timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the upstream may be down (502) or slow: the classes are loaded either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
