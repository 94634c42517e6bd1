package dev.baton.cli;

import dev.baton.FreePorts;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

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
        return ClassArchives.isCurrent(JSA, DemoFixture.APP_JAR);
    }

    private static void record(String databaseUrl) {
        int port = FreePorts.take(1)[0];
        URI app = URI.create("http://127.0.0.1:" + port);
        ClassArchives.recordServer(JSA, tmp -> {
            ProcessBuilder pb = new ProcessBuilder(BatonProcess.javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xlog:disable", "-XX:ArchiveClassesAtExit=" + tmp, "-jar", DemoFixture.APP_JAR.toAbsolutePath().toString());
            pb.environment().putAll(Map.of("PORT", Integer.toString(port), "DATABASE_URL", databaseUrl, "DEMO_VERSION", "1"));
            return pb;
        }, server -> {
            // the classes a colour loads until it is healthy and serves its first requests
            ClassArchives.awaitUp(server, () -> ClassArchives.get(app.resolve("/api/health/db")) == 200,
                    "the demo app recording its class archive");
            ClassArchives.get(app.resolve("/api/version"));
            ClassArchives.get(app.resolve("/api/items"));
        });
    }
}
