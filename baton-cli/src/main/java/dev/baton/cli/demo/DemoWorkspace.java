package dev.baton.cli.demo;

import dev.baton.FreePorts;
import dev.baton.deploy.runtime.ProcessRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A folder with a baton.yml for the demo app, as {@code baton demo} and the end-to-end tests use
 * it: free loopback ports, a database of its own, and a way to stop every process its deploys
 * started. {@code baton init} writes the same template with the defaults.
 */
public final class DemoWorkspace {
    private final Path dir;
    private final Map<String, String> values;

    private DemoWorkspace(Path dir, Map<String, String> values) {
        this.dir = dir;
        this.values = values;
    }

    /**
     * Writes {@code dir/baton.yml} for the demo app on free ports.
     *
     * @param databaseUrl what the app and the migrations use (postgres:// or jdbc:postgresql:)
     * @param pgHostPort host:port the accessory check probes
     * @param releases the folder holding v1/, v2/, v3/ migrations
     */
    public static DemoWorkspace create(Path dir, String databaseUrl, String pgHostPort, Path appJar, Path releases) {
        Map<String, String> v = defaults();
        v.put("APP_JAR", appJar.toAbsolutePath().toString());
        v.put("DATABASE_URL", "\"" + databaseUrl + "\"");
        v.put("PG_HOSTPORT", pgHostPort);
        v.put("MIGRATIONS", releases.toAbsolutePath() + "/v${DEMO_VERSION:-1}/migrations");
        int[] ports = FreePorts.take(4); // below the ephemeral range: nothing else is handed them meanwhile
        v.put("BLUE", Integer.toString(ports[0]));
        v.put("GREEN", Integer.toString(ports[1]));
        v.put("LISTEN", Integer.toString(ports[2]));
        v.put("ADMIN", Integer.toString(ports[3]));
        DemoWorkspace w = new DemoWorkspace(dir, v);
        try {
            Files.createDirectories(dir);
            Files.writeString(w.config(), render(v), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    /** The values {@code baton init} uses: paths relative to the root of a Baton checkout. */
    public static Map<String, String> defaults() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("APP", "demo");
        v.put("STATE_DIR", ".baton");
        v.put("APP_JAR", "examples/demo-app/target/demo-app.jar");
        v.put("DATABASE_URL", "\"${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/baton_demo}\"");
        v.put("PG_HOSTPORT", "127.0.0.1:5432");
        v.put("MIGRATIONS", "examples/demo-app/releases/v${DEMO_VERSION:-1}/migrations");
        v.put("BLUE", "8000");
        v.put("GREEN", "8001");
        v.put("LISTEN", "8080");
        v.put("ADMIN", "8081");
        return v;
    }

    /** The commented template with {@code {{KEY}}} replaced. */
    public static String render(Map<String, String> values) {
        try (InputStream in = DemoWorkspace.class.getResourceAsStream("baton.yml.template")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : values.entrySet()) {
                text = text.replace("{{" + e.getKey() + "}}", e.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve("baton.yml");
    }

    public Path stateDir() {
        return dir.resolve(".baton");
    }

    public int port(String key) {
        return Integer.parseInt(values.get(key));
    }

    /** The router's public address. */
    public URI publicUri() {
        return URI.create("http://127.0.0.1:" + port("LISTEN"));
    }

    /** Replaces text in baton.yml (tests tighten a deadline or point at other migrations). */
    public void edit(String from, String to) {
        try {
            String text = Files.readString(config(), StandardCharsets.UTF_8);
            if (!text.contains(from)) {
                throw new IllegalArgumentException("baton.yml has no \"" + from + "\"");
            }
            Files.writeString(config(), text.replace(from, to), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every process Baton started from this workspace (services and the router). */
    public void stopAll() {
        stopAll(stateDir());
    }

    /** Stops every process named by a pid file in {@code <stateDir>/run} (also a server's folder, on this machine). */
    public static void stopAll(Path stateDir) {
        Path run = stateDir.resolve("run");
        if (!Files.isDirectory(run)) {
            return;
        }
        try (Stream<Path> pids = Files.list(run)) {
            // supervisors first: one stopped after its child would start it again
            pids.filter(p -> p.toString().endsWith(".pid"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().contains("supervisor")))
                    .forEach(p ->
                    ProcessRuntime.handle(p).ifPresent(h -> ProcessRuntime.terminate(h, Duration.ofSeconds(10))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
