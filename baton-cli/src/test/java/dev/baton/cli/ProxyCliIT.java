package dev.baton.cli;

import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.proxy.RouterClient;
import dev.baton.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `baton proxy` as a process: serves the active colour, switches on the admin endpoint, keeps it across restarts. */
class ProxyCliIT {
    static final Pattern PORTS = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+), admin on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path work;

    HttpServer blue;
    HttpServer green;
    Process proxy;

    @BeforeEach
    void setUp() throws Exception {
        blue = server("blue");
        green = server("green");
        write(work.resolve("baton.yml"), "app: demo\nrouter:\n  listen: 127.0.0.1:0\n  admin: 127.0.0.1:0\nservices:\n  web:\n"
                + "    ports: {blue: " + blue.getAddress().getPort() + ", green: " + green.getAddress().getPort() + "}\n");
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.destroyForcibly();
        }
        blue.stop(0);
        green.stop(0);
    }

    static HttpServer server(String colour) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        s.createContext("/", ex -> {
            byte[] b = colour.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        s.start();
        return s;
    }

    int[] startProxy() throws Exception {
        Path err = work.resolve("proxy-" + System.nanoTime() + ".err");
        proxy = BatonProcess.builder(work, Map.of(), "proxy").redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            Matcher m = PORTS.matcher(Files.exists(err) ? Files.readString(err) : "");
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
            if (!proxy.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("proxy did not start: " + (Files.exists(err) ? Files.readString(err) : ""));
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    static String get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void servesSwitchesAndRemembersTheColourAcrossARestart() throws Exception {
        int[] ports = startProxy();
        assertThat(get(ports[0])).isEqualTo("blue");
        Path tokenFile = work.resolve(".baton/router.token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        RouterClient admin = new RouterClient(URI.create("http://127.0.0.1:" + ports[1]), Files.readString(tokenFile).strip());
        assertThat(admin.switchTo("green").active()).isEqualTo("green");
        assertThat(get(ports[0])).isEqualTo("green");

        proxy.destroy(); // SIGTERM
        assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).isTrue();
        ports = startProxy();
        assertThat(get(ports[0])).isEqualTo("green");
    }

    @Test
    void badRouterConfigNamesTheKeyAndLine() throws Exception {
        write(work.resolve("baton.yml"), "router:\n  listen: 127.0.0.1:80x1\nservices:\n  web:\n    ports: {blue: 1, green: 2}\n");
        BatonProcess.Result r = BatonProcess.run(work, Map.of(), "proxy");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("router.listen: expected host:port").contains("80x1").contains("baton.yml:2");
    }

    @Test
    void aStandbyStoppedWhileItWarmsUpLeavesNothingInTmpAndTheNextWarmUpClearsItsFolder() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path warmUp = work.resolve(".baton/run/standby-warm-up");
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        Process first = standby(env).start();
        try {
            Await.until(() -> Files.exists(warmUp), "the standby's warm-up folder");
            first.destroy(); // SIGTERM, as its supervisor stops it when the router stops
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        assertThat(entries(tmp)).as("left in the standby's java.io.tmpdir").isEmpty();

        // the next one clears it, warms up in it, removes it, then finds no supervisor (stdin at its end) and exits
        Process next = standby(env).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(next.exitValue()).isZero();
        } finally {
            next.destroyForcibly();
        }
        assertThat(warmUp).as("the warm-up folder, after the next warm-up").doesNotExist();
        assertThat(entries(tmp)).as("left in the standby's java.io.tmpdir").isEmpty();
    }

    private ProcessBuilder standby(Map<String, String> env) {
        return BatonProcess.builder(work, env, "proxy", "--standby").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    private static List<Path> entries(Path dir) {
        try (var files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
