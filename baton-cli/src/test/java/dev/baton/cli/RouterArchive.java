package dev.baton.cli;

import dev.baton.cli.demo.DemoWorkspace;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A class-data archive of {@code baton proxy} for the routers, standbys and supervisors that the
 * tests' deploys start (about a hundred JVMs): recorded once per build by a router that serves a
 * request and answers its admin endpoint, then mapped by every one of them, through the
 * {@code BATON_ROUTER_JAVA_OPTS} the CLI passes on (a router then starts on 0.6 s of CPU instead of
 * 0.9-1.1 s). docs/benchmarks.md (test suite time).
 */
final class RouterArchive {
    static final String JAVA_OPTS = "BATON_ROUTER_JAVA_OPTS";
    private static final Path JSA = BatonProcess.JAR.toAbsolutePath().resolveSibling(BatonProcess.JAR.getFileName() + ".router.test.jsa");
    private static boolean tried;

    private RouterArchive() {}

    /**
     * The tests' short-lived JVM options, then {@code options} (what the routers get otherwise, or null),
     * then the archive's, recording it first if this build has none (it may not be: then none).
     */
    static synchronized String withArchive(String options) {
        if (!Files.isRegularFile(BatonProcess.JAR)) {
            return options; // a unit test before the jar is built: no router runs baton.jar then
        }
        if (!isCurrent() && !tried) {
            tried = true; // once per test JVM, whatever the outcome
            record();
        }
        // after Baton's own router options in its argv: these override them, the caller's override these
        String base = String.join(" ", BatonProcess.SHORT_LIVED) + (options == null ? "" : " " + options.strip()) + " ";
        return isCurrent() ? base + "-Xshare:auto -Xlog:disable -Xlog:all=error:stderr -XX:SharedArchiveFile=" + JSA : base.strip();
    }

    private static boolean isCurrent() {
        return ClassArchives.isCurrent(JSA, BatonProcess.JAR);
    }

    private static void record() {
        Path dir;
        try {
            dir = Files.createTempDirectory("baton-router-archive");
        } catch (IOException e) {
            return;
        }
        // a workspace only for its router: section (no database, no colour is started)
        DemoWorkspace ws = DemoWorkspace.create(dir, "jdbc:postgresql://127.0.0.1:1/none", "127.0.0.1:1", DemoFixture.APP_JAR,
                DemoFixture.RELEASES);
        ClassArchives.recordServer(JSA, tmp -> new ProcessBuilder(BatonProcess.javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xlog:disable", "-XX:ArchiveClassesAtExit=" + tmp, "-cp", BatonProcess.JAR.toAbsolutePath().toString(),
                "dev.baton.cli.Main", "proxy", "--config", ws.config().toString()), router -> {
                    // the classes a router loads to start, proxy a request (here to a colour that is not
                    // there: an error answer) and answer the admin endpoint a deploy polls
                    ClassArchives.awaitUp(router, () -> ClassArchives.get(ws.publicUri().resolve("/api/version")) > 0,
                            "the router recording its class archive");
                    ClassArchives.get(URI.create("http://127.0.0.1:" + ws.port("ADMIN") + "/status"));
                });
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover in the temporary folder
        }
    }
}
