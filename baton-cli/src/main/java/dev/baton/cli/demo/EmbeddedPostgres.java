package dev.baton.cli.demo;

import dev.baton.BatonException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded PostgreSQL of {@code examples/demo-postgres}, run as a child process so its 19 MB
 * stay out of baton.jar. It serves until its standard input closes, so it goes away with the
 * demo even when the demo is killed.
 */
final class EmbeddedPostgres implements AutoCloseable {
    private final Process process;
    private final String url;

    private EmbeddedPostgres(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static EmbeddedPostgres start(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw BatonException.usage("the embedded PostgreSQL is not built (" + jar + "); run ./mvnw -q -DskipTests"
                    + " package in the Baton checkout, or start the demo with ./baton demo, which builds it");
        }
        try {
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC",
                    "-jar", jar.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(120, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("READY ")) {
                p.destroyForcibly();
                throw BatonException.usage("the embedded PostgreSQL did not start: "
                        + (line == null ? "it exited" : line.replaceFirst("^FAILED ", "")));
            }
            return new EmbeddedPostgres(p, line.substring("READY ".length()).strip());
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw BatonException.usage("the embedded PostgreSQL did not start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BatonException.usage("interrupted while starting the embedded PostgreSQL");
        }
    }

    /** An administrative URL: postgres://postgres@127.0.0.1:PORT/postgres. */
    String url() {
        return url;
    }

    /** Stops the server (closing its input tells it to) and waits for it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
