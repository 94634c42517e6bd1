package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.config.RouterConfig;
import dev.baton.migrate.testing.TestDatabase;
import dev.baton.proxy.RouterClient;
import dev.baton.proxy.RouterSettings;
import dev.baton.proxy.RouterStatus;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;

/** The demo app in a workspace of its own with a fresh database; stops everything on close. */
final class DemoFixture implements AutoCloseable {
    static final Path APP_JAR = Path.of(System.getProperty("demo.app.jar", "../examples/demo-app/target/demo-app.jar"));
    static final Path RELEASES = Path.of(System.getProperty("demo.releases", "../examples/demo-app/releases"));
    /** How baton.yml names the demo's migrations folder. */
    static final String RELEASES_YAML = RELEASES.toAbsolutePath() + "/v${DEMO_VERSION:-1}/migrations";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final TestDatabase db = TestDatabase.create();
    final DemoWorkspace ws;

    DemoFixture(Path dir) {
        URI admin = URI.create(TestDatabase.ADMIN_URL.substring("jdbc:".length()));
        ws = DemoWorkspace.create(dir, db.jdbcUrl(), admin.getHost() + ":" + (admin.getPort() < 0 ? 5432 : admin.getPort()),
                APP_JAR, RELEASES);
        // tests deploy hundreds of times on two cores: a shorter warm-up (its logic has unit tests of its own),
        // and the new colour at normal CPU priority: at nice 10 beside other test classes' processes it
        // starts several times slower (StartPriorityIT tests the low start on its own)
        ws.edit("requests: 2000", "requests: 10");
        ws.edit("    ports:", "    start_priority: normal\n    ports:");
        ws.edit("-XX:+UseSerialGC, -XX:TieredStopAtLevel=1, -jar, ", String.join(", ", BatonProcess.SHORT_LIVED) + ", "
                + DemoAppArchive.options(db.jdbcUrl()) + "-jar, ");
    }

    BatonProcess.Result deploy(int version, String... env) throws Exception {
        return baton(version, env, "deploy", "--confirm", "deploy-demo");
    }

    /** Deploys {@code version} and asserts it succeeded, with the console in the failure message. */
    BatonProcess.Result deployed(int version) throws Exception {
        BatonProcess.Result r = deploy(version);
        assertThat(r.exitCode()).as("deploy v" + version + ":\n" + r.err()).isZero();
        return r;
    }

    /**
     * {@code baton ARGS} with DEMO_VERSION and {@code env} (name, value, ...) in its environment, in this
     * JVM (a JVM start each would be most of the suite's CPU): for a command no test interrupts, whose
     * environment is for the CLI itself (baton.yml's variables), not for the commands it runs.
     */
    BatonProcess.Result baton(int version, String[] env, String... args) {
        return BatonProcess.inProcess(ws.dir(), environment(version, env), args);
    }

    /** As {@link #baton}, as a process of its own, whose environment the commands it runs inherit. */
    BatonProcess.Result batonProcess(int version, String[] env, String... args) throws Exception {
        return BatonProcess.run(ws.dir(), environment(version, env), args);
    }

    private static Map<String, String> environment(int version, String... env) {
        Map<String, String> e = new HashMap<>();
        e.put("DEMO_VERSION", Integer.toString(version));
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return e;
    }

    /** The built-in router's status straight from its admin endpoint (a `baton status` process costs a JVM start). */
    RouterStatus routerStatus() throws Exception {
        ConfigNode root = ConfigNode.load(ws.config(), Map.of("DEMO_VERSION", "1"));
        RouterSettings r = RouterConfig.read(root, ws.dir());
        return new RouterClient(URI.create("http://127.0.0.1:" + r.admin().getPort()), r.token()).status();
    }

    /**
     * v2's migrations plus a revision that runs SELECT pg_sleep(seconds): a migration to interrupt.
     * The lint is turned off: it would run the revision on its shadow database first.
     */
    Path slowMigrations(int seconds) throws Exception {
        if (Files.readString(ws.config()).contains("  lint: error")) {
            ws.edit("  lint: error", "  lint: off");
        }
        Path slow = Files.createDirectories(ws.dir().resolve("slow-migrations"));
        try (var files = Files.list(RELEASES.resolve("v2/migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, slow.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(slow.resolve("d4c0de000004_slow.sql"), "-- baton:revision d4c0de000004\n-- baton:parents b2c0de000002\n"
                + "-- baton:message slow\n\nSELECT pg_sleep(" + seconds + ");\n\n-- baton:down\nSELECT 1;\n");
        return slow;
    }

    /**
     * Starts a v2 deploy in the background whose migration ends in a revision that sleeps
     * {@code seconds}, its console to {@code out}, and returns once that revision runs: a deploy to
     * interrupt mid-migration. {@link #endSlowMigrations} puts the release's own folder back.
     */
    Process deployStuckInMigration(int seconds, Path out) throws Exception {
        ws.edit(RELEASES_YAML, slowMigrations(seconds).toString());
        Process deploy = deployInBackground(2).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Await.until(() -> !db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(" + seconds + ")%'"
                + " AND datname = current_database()").get(0).equals("0"), "the slow revision running");
        return deploy;
    }

    /**
     * Starts a v2 deploy in the background whose migration ends in a revision that waits until
     * {@link #openGate} (a row in a table of the test's own, so no timing decides when it ends),
     * its console to {@code out}, and returns once that revision runs.
     */
    Process deployHeldInMigration(Path out) throws Exception {
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS baton_test_gate (open int)");
        }
        Path held = slowMigrations(0);
        Files.writeString(held.resolve("d4c0de000004_slow.sql"), "-- baton:revision d4c0de000004\n-- baton:parents b2c0de000002\n"
                + "-- baton:message held\n\nDO $$ BEGIN WHILE NOT EXISTS (SELECT 1 FROM baton_test_gate) LOOP PERFORM pg_sleep(0.05);"
                + " END LOOP; END $$;\n\n-- baton:down\nSELECT 1;\n");
        ws.edit(RELEASES_YAML, held.toString());
        Process deploy = deployInBackground(2).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Await.until(() -> !db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'DO $$ BEGIN WHILE NOT EXISTS%'"
                + " AND datname = current_database()").get(0).equals("0"), "the held revision running");
        return deploy;
    }

    /** Lets the revision of {@link #deployHeldInMigration} (and any later run of it) finish. */
    void openGate() throws Exception {
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("INSERT INTO baton_test_gate VALUES (1)");
        }
    }

    void endSlowMigrations() {
        ws.edit(ws.dir().resolve("slow-migrations").toString(), RELEASES_YAML);
    }

    /** Requests in flight to blue, from the router. */
    int blueInFlight() {
        try {
            return routerStatus().inFlight().getOrDefault("blue", 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code baton status --json}, parsed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> status() {
        try {
            BatonProcess.Result r = inProcess(1, "status", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            return (Map<String, Object>) Json.parse(r.out());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A command that needs no process of its own (status, history), run in this JVM. */
    BatonProcess.Result inProcess(int version, String... args) {
        return BatonProcess.inProcess(ws.dir(), Map.of("DEMO_VERSION", Integer.toString(version)), args);
    }

    ProcessBuilder deployInBackground(int version) throws Exception {
        return BatonProcess.builder(ws.dir(), Map.of("DEMO_VERSION", Integer.toString(version)), "deploy", "--confirm", "deploy-demo");
    }

    /** Replaces the router: section of baton.yml with one driving {@code nginx}. */
    /**
     * Stops the built-in router as docs/router.md says to (its supervisor, which stops the router),
     * and waits until {@code listen}, the port it listens on, is free.
     */
    void stopRouter(int listen) throws Exception {
        ProcessHandle supervisor = ProcessHandle.of(Long.parseLong(Files.readString(ws.stateDir()
                .resolve("run/router-supervisor.pid")).split(" ")[0])).orElseThrow();
        supervisor.destroy();
        Await.until(() -> !supervisor.isAlive(), "the router's supervisor stopped");
        Await.until(() -> !Ports.listening(listen), "the router stopped");
    }

    void useNginx(Nginx nginx) throws Exception {
        Matcher router = Pattern.compile("(?s)router:\\n.*?\\n\\n")
                .matcher(Files.readString(ws.config()));
        if (!router.find()) {
            throw new AssertionError("baton.yml has no router: section");
        }
        ws.edit(router.group(), nginx.routerYaml(ws.port("LISTEN")) + "\n");
    }

    /**
     * Deploys {@code version} while steady load goes to {@code targets}, before, during and
     * after; asserts that no request failed and returns the deploy's result.
     */
    BatonProcess.Result deployUnderLoad(int version, List<URI> targets, double rate) throws Exception {
        try (LoadGenerator load = new LoadGenerator(targets, 4, rate)) {
            load.start();
            Await.until(() -> load.stats().sent() > 100, "load running");
            BatonProcess.Result r = deploy(version);
            long after = load.samples().size();
            Await.until(() -> load.samples().size() > after + 100, "load after the deploy");
            load.close();
            Assertions.assertThat(load.stats().failed()).as("failed: " + load.failures(5)).isZero();
            return r;
        }
    }

    /** GET through the router: status and body. */
    String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(ws.publicUri().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Override
    public void close() {
        try {
            ws.stopAll();
        } finally {
            db.close();
        }
    }
}
