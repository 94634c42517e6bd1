package dev.baton.cli;

import dev.baton.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A class-data archive per baton command for the CLI processes the tests start, as the {@code baton}
 * launcher keeps one for users: the tests start hundreds of them on two cores, and each loads and links
 * the same classes again without one. The first finished run of a command records its archive
 * beside the jar; later runs map it.
 */
final class ClassArchives {
    private static final Set<String> KINDS = Set.of("deploy", "rollback", "recover", "status", "history", "migrate",
            "proxy", "demo", "init");
    /** Commands whose archive one run of this JVM is recording now. */
    private static final Set<String> RECORDING = ConcurrentHashMap.newKeySet();
    /** As the launcher: no JVM warning (an archive of a rebuilt jar is ignored with one) on stdout or stderr. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=error:stderr");

    /**
     * The JVM options of a run: it maps its command's archive, or records it; {@link #done} keeps what
     * it recorded once it has exited.
     */
    record Recording(List<String> options, Runnable keep) {
        void done() {
            keep.run();
        }
    }

    private ClassArchives() {}

    /** The options that map this command's archive, if one was recorded for this jar. */
    static List<String> use(String... args) {
        Path jsa = archive(args);
        return isCurrent(jsa) ? concat(QUIET, "-XX:SharedArchiveFile=" + jsa) : QUIET;
    }

    /** Options that record this command's archive when there is none and no other run records it. */
    static Recording record(String... args) {
        Path jsa = archive(args);
        String kind = jsa.getFileName().toString();
        if (isCurrent(jsa) || !RECORDING.add(kind)) {
            return new Recording(use(args), () -> {});
        }
        Path tmp = jsa.resolveSibling(kind + "." + ProcessHandle.current().pid() + ".tmp");
        return new Recording(concat(QUIET, "-XX:ArchiveClassesAtExit=" + tmp), () -> {
            try {
                if (Files.isRegularFile(tmp)) {
                    Files.move(tmp, jsa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                RECORDING.remove(kind);
            }
        });
    }

    private static Path archive(String... args) {
        String kind = args.length > 0 && KINDS.contains(args[0]) ? args[0] : "other";
        Path jar = BatonProcess.JAR.toAbsolutePath();
        return jar.resolveSibling(jar.getFileName() + "." + kind + ".test.jsa");
    }

    private static boolean isCurrent(Path jsa) {
        return isCurrent(jsa, BatonProcess.JAR);
    }

    /** Whether {@code jsa} was recorded after {@code jar} was built. */
    static boolean isCurrent(Path jsa, Path jar) {
        try {
            return Files.isRegularFile(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Records {@code jsa} with a server the tests start many of: {@code command} (given the file to record to)
     * is started, {@code exercise} makes it load what it loads in a test, then SIGTERM makes the JVM write
     * the archive as it exits. Without one (it could not be recorded) the servers start as they would anyway.
     */
    static void recordServer(Path jsa, Function<Path, ProcessBuilder> command, Consumer<Process> exercise) {
        Path tmp = jsa.resolveSibling(jsa.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Process server = command.apply(tmp).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                exercise.accept(server);
            } finally {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            if (Files.isRegularFile(tmp)) {
                Files.move(tmp, jsa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println(jsa.getFileName() + " not recorded (" + e + "): started without it");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover in target/
            }
        }
    }

    /** Awaits {@code up} while {@code server} runs; fails at once when it has exited (it never will be up). */
    static void awaitUp(Process server, BooleanSupplier up, String what) {
        Await.until(() -> !server.isAlive() || up.getAsBoolean(), what);
        if (!server.isAlive()) {
            throw new AssertionError("it exited with " + server.exitValue() + " before " + what);
        }
    }

    /** The status of a GET, or -1 when there is no answer. */
    static int get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }
}
