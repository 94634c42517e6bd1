package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.demo.LoadGenerator;
import dev.baton.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * `baton deploy` end to end: the real jar, the demo app as real processes, the built-in router
 * started in the background, a real PostgreSQL, real HTTP.
 */
class DeployCliIT extends DemoTestBase {
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
        // before the load, so that blue's one request in flight is this one; long enough to outlast
        // a deploy on a busy machine, where the IT classes run side by side; the load runs all that time, at a
        // rate that keeps the router and both colours busy without taking the CPU the other classes need)
        var slow = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                base.resolve("/api/slow?ms=25000")).build(), HttpResponse.BodyHandlers.ofString());
        Await.until(() -> demo.blueInFlight() > 0 || slow.isDone(), "the slow request in flight");
        try (LoadGenerator load = new LoadGenerator(List.of(base.resolve("/api/items"), base.resolve("/api/version")), 4, 100)) {
            load.start();
            Await.until(() -> load.stats().sent() > 100, "load running");
            second = demo.deploy(2);
            assertThat(slow.get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"slept_ms\":25000,\"version\":1}");
            Matcher drained = Pattern.compile("drained in (\\d+) ms").matcher(second.err());
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
                .containsPattern("✓ WarmUp .* api 20 GETs, median [0-9.]+ → [0-9.]+ ms");
        assertThat(stats.sent()).isGreaterThan(300);
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.get("/api/items")).contains("\"priority\":10");

        Map<String, Object> status = demo.status();
        assertThat(status.get("active")).isEqualTo("green");
        assertThat(status.get("revision")).isEqualTo("b2c0de000002");
        assertThat(status.get("services").toString()).contains("blue=stopped");
        assertThat(status.get("lock_holder")).isNull();
        BatonProcess.Result history = demo.inProcess(2, "history");
        assertThat(history.out()).contains("blue→green", "-→blue").contains("succeeded");
    }

    @Test
    void failingMigrationIsRolledBackAndTheOldColourKeepsServing() throws Exception {
        demo.deployed(1);
        demo.deployed(2);

        // by default the lint stops v3 before Migrate: on a shadow database its NOT NULL column fails; it ran
        // while v3's colour started, which is stopped again
        BatonProcess.Result linted = demo.deploy(3);
        assertThat(linted.exitCode()).isEqualTo(1);
        assertThat(linted.err()).contains("✗ LintMigrations", "[statement-fails]", "c3c0de000003", "contains null values",
                "Nothing was migrated or switched", "undone StartTarget").containsPattern("(?s)✓ StartTarget.*✗ LintMigrations")
                .doesNotContain("✓ Migrate", "✗ Migrate");
        assertThat(demo.status().get("services").toString()).contains("blue=stopped");

        // with the lint off, the migration fails mid-deploy and is rolled back
        demo.ws.edit("  lint: error", "  lint: off");
        BatonProcess.Result third = demo.deploy(3);

        assertThat(third.exitCode()).isEqualTo(1);
        assertThat(third.err()).contains("✗ Migrate", "FAILED at Migrate", "c3c0de000003",
                "column \"sku\" of relation \"items\" contains null values", "undone StartTarget",
                "traffic stays on green", "Full log:");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.db.column("SELECT revision FROM baton_history ORDER BY id DESC LIMIT 1")).containsExactly("b2c0de000002");
        assertThat(demo.db.tableExists("item_tags")).as("the failing revision's first statement is rolled back").isFalse();
        Map<String, Object> status = demo.status();
        assertThat(status.get("active")).isEqualTo("green");
        assertThat(status.get("services").toString()).contains("blue=stopped");
        String log = third.err().replaceAll("(?s).*Full log: +(\\S+).*", "$1");
        assertThat(Files.readString(Path.of(log))).contains("Migrate FAILED");
        assertThat(Files.readString(demo.ws.stateDir().resolve("audit.jsonl"))).contains("\"outcome\":\"rolled_back\"",
                "\"failed_step\":\"Migrate\"");
    }

    @Test
    void unhealthyTargetIsStoppedBeforeAnythingChanges() throws Exception {
        demo.deployed(1);
        demo.ws.edit("health: 60s", "health: 3s");

        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/health");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at AwaitHealthy", "api green not healthy within 3 s",
                "/api/health → HTTP 500", "last lines of", "demo-app v2 (green) listening");
        assertThat(r.err()).doesNotContain("✓ Migrate");
        assertThat(demo.db.column("SELECT revision FROM baton_history")).containsExactly("a1c0de000001");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.status().get("services").toString()).contains("green=stopped");
    }

    @Test
    void aFailedWarmUpRevertsTheMigrationBeforeTrafficMoves() throws Exception {
        demo.deployed(1);

        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("✓ Migrate", "FAILED at WarmUp", "api green answered HTTP 500 to GET /api/items",
                "during warm-up", "last lines of", "undone Migrate", "traffic stays on blue").doesNotContain("SwitchTraffic");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.status().get("revision")).isEqualTo("a1c0de000001");
        assertThat(demo.db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'items'"))
                .as("v2's migration reverted").doesNotContain("priority");
        assertThat(demo.status().get("services").toString()).contains("green=stopped");

        // the same with v2's revision written without a down migration (as Flyway's V files come): it stays, and
        // the deploy still undoes itself (before: "NOT rolled back", and a recover that failed the same way)
        Path noDown = Files.createDirectories(work.resolve("no-down"));
        Files.copy(DemoFixture.RELEASES.resolve("v2/migrations/a1c0de000001_create_items.sql"), noDown.resolve("a1c0de000001_create_items.sql"));
        String v2 = Files.readString(DemoFixture.RELEASES.resolve("v2/migrations/b2c0de000002_add_item_priority.sql"));
        Files.writeString(noDown.resolve("b2c0de000002_add_item_priority.sql"), v2.substring(0, v2.indexOf("-- baton:down")));
        demo.ws.edit(DemoFixture.RELEASES_YAML, noDown.toString());
        BatonProcess.Result kept = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items");
        assertThat(kept.exitCode()).as(kept.err()).isEqualTo(1);
        assertThat(kept.err()).contains("FAILED at WarmUp", "Rolled back: traffic stays on blue; the steps done were undone, but"
                + " Migrate: schema kept at b2c0de000002 (revision b2c0de000002 has no down migration)").doesNotContain("NOT rolled back");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        BatonProcess.Result status = demo.inProcess(1, "status");
        assertThat(status.exitCode()).as("nothing left unsettled: " + status.out() + status.err()).isZero();
        assertThat(status.out()).contains("revision:  b2c0de000002");
    }

}
