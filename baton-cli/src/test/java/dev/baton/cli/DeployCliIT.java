package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.migrate.testing.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `baton deploy` end to end: the real jar, the demo app as real processes, the built-in router
 * started in the background, a real PostgreSQL, real HTTP.
 */
class DeployCliIT {
    @TempDir
    Path work;

    DemoFixture demo;

    @BeforeEach
    void setUp() {
        demo = new DemoFixture(work);
    }

    @AfterEach
    void tearDown() {
        demo.close();
    }

    @Test
    void deployUnderSteadyLoadFailsNoRequest() throws Exception {
        BatonProcess.Result first = demo.deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("Deployed demo", "(none) → BLUE", "Migration:  a1c0de000001");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        URI base = demo.ws.publicUri();
        BatonProcess.Result second;
        LoadGenerator.Stats stats;
        // a request still running on blue when traffic switches: the drain must wait for it (sent
        // before the load, so that blue's one request in flight is this one)
        var slow = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                base.resolve("/api/slow?ms=12000")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        Await.until(() -> blueInFlight() > 0 || slow.isDone(), "the slow request in flight");
        try (LoadGenerator load = new LoadGenerator(List.of(base.resolve("/api/items"), base.resolve("/api/version")), 4, 400)) {
            load.start();
            Await.until(() -> load.stats().sent() > 100, "load running");
            second = demo.deploy(2);
            assertThat(slow.get(15, TimeUnit.SECONDS).body()).isEqualTo("{\"slept_ms\":12000,\"version\":1}");
            java.util.regex.Matcher drained = java.util.regex.Pattern.compile("drained in (\\d+) ms").matcher(second.err());
            assertThat(drained.find()).as(second.err()).isTrue();
            assertThat(Long.parseLong(drained.group(1))).as("DrainAndStop waited for the slow request: " + second.err()).isGreaterThan(300);
            long after = load.samples().size();
            Await.until(() -> load.samples().size() > after + 100, "load after the deploy");
            load.close();
            stats = load.stats();
            assertThat(stats.failed()).as("failed requests: " + load.failures(5)).isZero();
        }
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("BLUE → GREEN", "✓ DrainAndStop", "Migration:  b2c0de000002")
                .containsPattern("✓ WarmUp .* api 200 GETs, median [0-9.]+ → [0-9.]+ ms");
        assertThat(stats.sent()).isGreaterThan(300);
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.get("/api/items")).contains("\"priority\":10");

        Map<String, Object> status = status();
        assertThat(status.get("active")).isEqualTo("green");
        assertThat(status.get("revision")).isEqualTo("b2c0de000002");
        assertThat(status.get("services").toString()).contains("blue=stopped");
        assertThat(status.get("lock_holder")).isNull();
        BatonProcess.Result history = demo.baton(2, new String[0], "history");
        assertThat(history.out()).contains("blue→green", "-→blue").contains("succeeded");
    }

    @Test
    void failingMigrationIsRolledBackAndTheOldColourKeepsServing() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        assertThat(demo.deploy(2).exitCode()).isZero();

        BatonProcess.Result third = demo.deploy(3);

        assertThat(third.exitCode()).isEqualTo(1);
        assertThat(third.err()).contains("✗ Migrate", "FAILED at Migrate", "c3c0de000003",
                "column \"sku\" of relation \"items\" contains null values", "undone StartTarget",
                "traffic stays on green", "Full log:");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.db.column("SELECT revision FROM baton_history ORDER BY id DESC LIMIT 1")).containsExactly("b2c0de000002");
        assertThat(demo.db.tableExists("item_tags")).as("the failing revision's first statement is rolled back").isFalse();
        Map<String, Object> status = status();
        assertThat(status.get("active")).isEqualTo("green");
        assertThat(status.get("services").toString()).contains("blue=stopped");
        String log = third.err().replaceAll("(?s).*Full log: +(\\S+).*", "$1");
        assertThat(Files.readString(Path.of(log))).contains("Migrate FAILED");
        assertThat(Files.readString(demo.ws.stateDir().resolve("audit.jsonl"))).contains("\"outcome\":\"rolled_back\"",
                "\"failed_step\":\"Migrate\"");
    }

    @Test
    void unhealthyTargetIsStoppedBeforeAnythingChanges() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        demo.ws.edit("health: 60s", "health: 3s");

        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/health");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at AwaitHealthy", "api green not healthy within 3 s",
                "/api/health → HTTP 500", "last lines of", "demo-app v2 (green) listening");
        assertThat(r.err()).doesNotContain("✓ Migrate");
        assertThat(demo.db.column("SELECT revision FROM baton_history")).containsExactly("a1c0de000001");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(status().get("services").toString()).contains("green=stopped");
    }

    @Test
    void aFailedWarmUpRevertsTheMigrationBeforeTrafficMoves() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();

        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("✓ Migrate", "FAILED at WarmUp", "api green answered HTTP 500 to GET /api/items",
                "during warm-up", "last lines of", "undone Migrate", "traffic stays on blue").doesNotContain("SwitchTraffic");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(status().get("revision")).isEqualTo("a1c0de000001");
        assertThat(demo.db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'items'"))
                .as("v2's migration reverted").doesNotContain("priority");
        assertThat(status().get("services").toString()).contains("green=stopped");
    }

    @Test
    void failedValidationSwitchesTrafficBack() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();

        demo.ws.edit("validate: 10s", "validate: 2s");
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/version]"); // let /api/items fail in Validate
        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("✓ SwitchTraffic", "FAILED at Validate", "/api/items → HTTP 500",
                "undone SwitchTraffic", "traffic stays on blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(status().get("active")).isEqualTo("blue");
        assertThat(status().get("services").toString()).contains("green=stopped");
    }

    @Test
    void secondDeployIsRefusedNamingTheFirst() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        // the first deploy waits in a gate until the test lets it go
        demo.ws.edit("# gates:", "gates: [{name: hold, shell: \"while [ ! -e go ]; do sleep 0.05; done\"}]\n# gates:");
        Process first = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("first.out").toFile()).start();
        try {
            Await.until(() -> status().get("lock_holder") != null, "the first deploy holds the lock");

            BatonProcess.Result second = demo.deploy(2);

            assertThat(second.exitCode()).isEqualTo(3);
            assertThat(second.err()).contains("another deploy of demo is running: baton deploy demo by")
                    .contains("pid " + first.pid());
            Files.writeString(work.resolve("go"), "");
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(work.resolve("first.out"))).isZero();
        } finally {
            first.destroyForcibly();
        }
        assertThat(demo.get("/api/version")).contains("\"version\":2");
    }

    @Test
    void killedDuringMigrationLeavesNoLockAndTheNextDeploySucceeds() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        Path slow = slowMigrations(60);
        demo.ws.edit(RELEASES, slow.toString());

        Process deploy = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("killed.out").toFile()).start();
        Await.until(() -> !demo.db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'"
                + " AND datname = current_database()").get(0).equals("0"), "the slow revision running");
        deploy.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        deploy.waitFor(10, TimeUnit.SECONDS);

        Await.until(() -> status().get("lock_holder") == null, "the deploy lock freed");
        assertThat(status().get("active")).isEqualTo("blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        demo.ws.edit(slow.toString(), RELEASES);
        BatonProcess.Result next = demo.deploy(2);
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.db.column("SELECT DISTINCT revision FROM baton_history ORDER BY 1"))
                .containsExactly("a1c0de000001", "b2c0de000002");
    }

    @Test
    void ctrlCDuringADeployUndoesItBeforeTrafficMoves() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        Path slow = slowMigrations(3);
        demo.ws.edit(RELEASES, slow.toString());

        Process deploy = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("interrupted.out").toFile()).start();
        Await.until(() -> !demo.db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%'"
                + " AND datname = current_database()").get(0).equals("0"), "the slow revision running");
        new ProcessBuilder("kill", "-INT", Long.toString(deploy.pid())).start().waitFor();
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String out = Files.readString(work.resolve("interrupted.out"));
        assertThat(out).contains("interrupted: stopping the deploy at the next step",
                "interrupted (Ctrl-C or SIGTERM) before WarmUp", "undone Migrate", "undone StartTarget");
        Map<String, Object> status = status();
        assertThat(status.get("active")).isEqualTo("blue");
        assertThat(status.get("revision")).as("the migration is reverted").isEqualTo("a1c0de000001");
        assertThat(status.get("services").toString()).contains("green=stopped");
        assertThat(status.get("lock_holder")).isNull();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
    }

    @Test
    void rollbackSendsTrafficBackStartingThePreviousColour() throws Exception {
        assertThat(demo.deploy(1).exitCode()).isZero();
        assertThat(demo.deploy(2).exitCode()).isZero();
        assertThat(status().get("services").toString()).contains("blue=stopped");

        BatonProcess.Result r = demo.baton(1, new String[0], "rollback");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("Rolled back demo", "GREEN → BLUE");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(status().get("active")).isEqualTo("blue");
        assertThat(status().get("previous")).isEqualTo("green");
        assertThat(demo.baton(1, new String[0], "history").out()).contains("rollback");
    }

    /** How baton.yml names the demo's migrations folder. */
    static final String RELEASES = DemoFixture.RELEASES.toAbsolutePath() + "/v${DEMO_VERSION:-1}/migrations";

    /** v2's migrations plus a revision that runs SELECT pg_sleep(seconds): a migration to interrupt. */
    Path slowMigrations(int seconds) throws Exception {
        Path slow = Files.createDirectories(work.resolve("slow-migrations"));
        try (var files = Files.list(DemoFixture.RELEASES.resolve("v2/migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, slow.resolve(f.getFileName()));
            }
        }
        Files.writeString(slow.resolve("d4c0de000004_slow.sql"), "-- baton:revision d4c0de000004\n-- baton:parents b2c0de000002\n"
                + "-- baton:message slow\n\nSELECT pg_sleep(" + seconds + ");\n\n-- baton:down\nSELECT 1;\n");
        return slow;
    }

    @SuppressWarnings("unchecked")
    int blueInFlight() {
        try {
            return demo.routerStatus().inFlight().getOrDefault("blue", 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Map<String, Object> status() {
        try {
            BatonProcess.Result r = demo.baton(1, new String[0], "status", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            return (Map<String, Object>) Json.parse(r.out());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
