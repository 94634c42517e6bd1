package dev.baton.cli;

import dev.baton.FreePorts;
import dev.baton.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A class-data archive of the demo app for the colours the tests start (about a hundred, each
 * a JVM): recorded once per build by a run of the app that answers its health checks, then mapped
 * by every colour, which then starts on a quarter less CPU. docs/benchmarks.md (test suite time).
 */
final class DemoAppArchive {
    private static final Path JSA = DemoFixture.APP_JAR.toAbsolutePath()
            .resolveSibling(DemoFixture.APP_JAR.getFileName() + ".test.jsa");
    private static boolean recorded;

    private DemoAppArchive() {}

    /**
     * The JVM options, as a baton.yml list's items ending in ", ", that map the archive; recorded
     * first against {@code databaseUrl} if this build has none. Without one (it could not be
     * recorded) the colours start as they would anyway.
     */
    static synchronized String options(String databaseUrl) {
        if (!isCurrent() && !recorded) {
            recorded = true; // once per test JVM, whatever the outcome
            record(databaseUrl);
        }
        return isCurrent() ? "-Xshare:auto, -Xlog:disable, -Xlog:all=error:stderr, -XX:SharedArchiveFile=" + JSA + ", " : "";
    }

    private static boolean isCurrent() {
        try {
            return Files.isRegularFile(JSA)
                    && Files.getLastModifiedTime(JSA).compareTo(Files.getLastModifiedTime(DemoFixture.APP_JAR)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void record(String databaseUrl) {
        Path tmp = JSA.resolveSibling(JSA.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        int port = FreePorts.take(1)[0];
        ProcessBuilder pb = new ProcessBuilder(BatonProcess.javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xlog:disable", "-XX:ArchiveClassesAtExit=" + tmp, "-jar", DemoFixture.APP_JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("PORT", Integer.toString(port), "DATABASE_URL", databaseUrl, "DEMO_VERSION", "1"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Process app = pb.start();
            try {
                // the classes a colour loads until it is healthy and serves its first requests
                Await.until(() -> get(http, port, "/api/health/db") == 200, "the demo app recording its class archive");
                get(http, port, "/api/version");
                get(http, port, "/api/items");
            } finally {
                app.destroy(); // SIGTERM: the JVM writes the archive as it exits
                app.waitFor(30, TimeUnit.SECONDS);
            }
            if (Files.isRegularFile(tmp)) {
                Files.move(tmp, JSA, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | AssertionError e) {
            System.err.println("demo app class archive not recorded (" + e + "): the colours start without one");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover in target/
            }
        }
    }

    private static int get(HttpClient http, int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
