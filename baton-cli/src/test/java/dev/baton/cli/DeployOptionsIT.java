package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The less travelled parts of baton.yml, end to end: accessories, keep_failed_target, engine: command. */
class DeployOptionsIT {
    @TempDir
    Path work;

    DemoFixture demo;
    Path accessoryPid;

    @BeforeEach
    void setUp() {
        demo = new DemoFixture(work);
        accessoryPid = work.resolve("accessory.pid");
    }

    @AfterEach
    void tearDown() throws Exception {
        demo.close();
        if (Files.exists(accessoryPid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(accessoryPid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aRouterStartedForAnotherAppIsNamedBeforeAnythingStarts() throws Exception {
        demo.deployed(1);
        // a second app whose baton.yml points at the first app's router ports
        try (DemoFixture other = new DemoFixture(work.resolve("other"))) {
            other.ws.edit("listen: 127.0.0.1:" + other.ws.port("LISTEN"), "listen: 127.0.0.1:" + demo.ws.port("LISTEN"));
            other.ws.edit("admin: 127.0.0.1:" + other.ws.port("ADMIN"), "admin: 127.0.0.1:" + demo.ws.port("ADMIN"));

            BatonProcess.Result r = other.deploy(1);

            assertThat(r.exitCode()).as("3: the router disagrees").isEqualTo(3);
            assertThat(r.err()).contains("FAILED at DetectActive", "a router answers on http://127.0.0.1:" + demo.ws.port("ADMIN")
                    + " but refuses this config's admin token", "router.listen and router.admin").doesNotContain("StartTarget");
            BatonProcess.Result status = other.inProcess(1, "status");
            assertThat(status.out()).contains("router:    a router answers on http://127.0.0.1:" + demo.ws.port("ADMIN")
                    + " but refuses this config's admin token");
            assertThat(demo.get("/api/version")).as("the first app's router is untouched")
                    .isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        }
    }

    @Test
    void aPortMovesColourByColourAndNeverUnderTheServingOne() throws Exception {
        demo.deployed(1);
        int blue = demo.ws.port("BLUE");
        int green = demo.ws.port("GREEN");
        int[] moved = dev.baton.FreePorts.take(2);
        String ports = "ports: {blue: " + blue + ", green: " + green + "}";
        // both moved: blue serves on its port, so that is refused before anything starts
        demo.ws.edit(ports, ports = "ports: {blue: " + moved[0] + ", green: " + moved[1] + "}");
        BatonProcess.Result both = demo.deploy(2);
        assertThat(both.exitCode()).as(both.err()).isEqualTo(2);
        assertThat(both.err()).contains("services.api.ports.blue is " + moved[0] + " in baton.yml, but blue's api was started on "
                + blue, "write blue's port back").doesNotContain("StartTarget");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        BatonProcess.Result status = demo.inProcess(1, "status");
        assertThat(status.out()).contains("blue=running(pid", "port " + blue + ")");
        assertThat(status.err()).contains("services.api.ports.blue is " + moved[0], "write blue's port back in baton.yml");

        // green's alone: the switch gives the router green's new port (before, it kept sending green to the old one: 502)
        demo.ws.edit(ports, ports = "ports: {blue: " + blue + ", green: " + moved[1] + "}");
        BatonProcess.Result greenMoves = demo.deploy(2);
        assertThat(greenMoves.exitCode()).as(greenMoves.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");

        // then blue's, now that green serves
        demo.ws.edit(ports, "ports: {blue: " + moved[0] + ", green: " + moved[1] + "}");
        BatonProcess.Result blueMoves = demo.deploy(2);
        assertThat(blueMoves.exitCode()).as(blueMoves.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"blue\"}");
        assertThat(demo.inProcess(1, "status").out()).contains("port " + moved[0] + ")").doesNotContain("port " + blue + ")");
    }

    @Test
    void aRouterAddressMovedInBatonYmlIsNamedBeforeAnythingStartsAndMovesWithOneRecover() throws Exception {
        demo.deployed(1);
        int old = demo.ws.port("LISTEN");
        int moved = Ports.free();
        demo.ws.edit("listen: 127.0.0.1:" + old, "listen: 127.0.0.1:" + moved);
        // before: 13 s of deploy, then Validate failed where nothing listened
        BatonProcess.Result r = demo.deploy(2);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("router.listen is 127.0.0.1:" + moved + " in baton.yml, but the router",
                "listens on 127.0.0.1:" + old, "baton recover").doesNotContain("StartTarget");
        BatonProcess.Result status = demo.inProcess(1, "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("serving blue at http://127.0.0.1:" + old);
        assertThat(status.err()).contains("the router listens on 127.0.0.1:" + old + ", not on router.listen");

        // the documented move: stop the supervisor (the router with it), then one recover
        demo.stopRouter(old);
        BatonProcess.Result recover = demo.inProcess(1, "recover");
        assertThat(recover.exitCode()).as(recover.err()).isZero();
        HttpResponse<String> v1 = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + moved
                + "/api/version")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(v1.body()).isEqualTo("{\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.inProcess(1, "status").exitCode()).isZero();

        // router.admin moved: no router answers there, but this app's runs (before: a 60 s wait, then "see its log")
        int admin = demo.ws.port("ADMIN");
        int movedAdmin = Ports.free();
        demo.ws.edit("admin: 127.0.0.1:" + admin, "admin: 127.0.0.1:" + movedAdmin);
        long started = System.nanoTime();
        BatonProcess.Result adminMoved = demo.deploy(2);
        assertThat(adminMoved.exitCode()).as(adminMoved.err()).isEqualTo(2);
        assertThat(adminMoved.err()).contains("router.admin is 127.0.0.1:" + movedAdmin + " in baton.yml, but this app's router",
                "answers on 127.0.0.1:" + admin, "baton recover");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("said at once").isLessThan(Duration.ofSeconds(30));
        assertThat(demo.inProcess(1, "status").err()).contains("router.admin is 127.0.0.1:" + movedAdmin)
                .doesNotContain("the router is not running");
    }

    @Test
    void aRollbackChecksWarmsAndValidatesTheOlderVersionOnItsOwnPathsNotOnesAddedSince() throws Exception {
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/items]");
        demo.deployed(1);
        // v2 adds a path to its health checks and warm-up, which v1 (below: made to fail it) does not have
        demo.ws.edit("health: [/api/health, /api/health/db]", "health: [/api/health, /api/health/db, /api/version]");
        demo.ws.edit("      paths: [/api/items]", "      paths: [/api/items, /api/version]");
        demo.ws.edit("validate: [/api/health, /api/health/db, /api/items]", "validate: [/api/health, /api/version]");
        demo.deployed(2);

        // (DEMO_FAIL_PATHS differs from what v1 ran with: --current-env starts it with it all the same)
        BatonProcess.Result back = demo.baton(1, new String[] {"DEMO_FAIL_PATHS", "/api/version"}, "rollback", "--current-env");
        // before: v1 was polled on /api/version until the health deadline, and the rollback was undone
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.err()).contains("Rolled back demo");
        assertThat(demo.get("/api/items")).startsWith("200 ");
        assertThat(demo.status().get("active")).isEqualTo("blue");
    }

    @Test
    void aStoppedColourIsRolledBackToWithItsOwnVersionAndNotWithAnEnvironmentThatChangedSince() throws Exception {
        demo.ws.edit("DEMO_VERSION: ${DEMO_VERSION:-1}", "DEMO_VERSION: \"${baton.version}\"\n      REGION: ${REGION:-eu}");
        for (int v = 1; v <= 2; v++) {
            BatonProcess.Result r = demo.baton(v, new String[0], "deploy", "--confirm", "deploy-demo", "--version", Integer.toString(v));
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        // blue (version 1, in eu) was stopped by v2's deploy; REGION has moved on since
        BatonProcess.Result refused = demo.baton(2, new String[] {"REGION", "us"}, "rollback");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("blue last ran with another environment than baton.yml gives it today:"
                + " services.api.env.REGION differs", "--current-env").doesNotContain("DEMO_VERSION differs");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(status()).contains("blue=stopped");

        // before: blue was started with today's DEMO_VERSION (2), and served as v2 under v1's name
        BatonProcess.Result back = demo.baton(2, new String[0], "rollback");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.err()).containsPattern("StartIfStopped .*started 1 on blue \\(version 1\\)");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
    }

    @Test
    void anAccessoryThatIsDownIsStartedAndAwaited() throws Exception {
        int port = Ports.free();
        // a stand-in accessory: the demo app, started in the background by the start command
        String start = "PORT=" + port + " setsid " + BatonProcess.javaBin() + " -jar " + DemoFixture.APP_JAR.toAbsolutePath()
                + " > " + work.resolve("accessory.log") + " 2>&1 & echo $! > " + accessoryPid;
        demo.ws.edit("accessories:\n", "accessories:\n  cache:\n    check: {tcp: \"127.0.0.1:" + port + "\"}\n"
                + "    start: [/bin/sh, -c, \"" + start + "\"]\n");

        BatonProcess.Result r = demo.deploy(1);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("✓ StartInfrastructure +[\\d.]+ m?s  started cache; 2 healthy");
        BatonProcess.Result again = demo.deploy(2);
        assertThat(again.err()).containsPattern("✓ StartInfrastructure +[\\d.]+ m?s  2 healthy");
    }

    @Test
    void anAccessoryThatIsDownWithoutStartCommandFailsTheDeployClearly() throws Exception {
        int port = Ports.free();
        demo.ws.edit("accessories:\n", "accessories:\n  cache:\n    check: {tcp: \"127.0.0.1:" + port + "\"}\n");
        BatonProcess.Result r = demo.deploy(1);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at StartInfrastructure", "accessory cache is down (tcp 127.0.0.1:" + port,
                "add accessories.cache.start");
    }

    @Test
    void keepFailedTargetLeavesItRunningAndTheNextDeployReplacesIt() throws Exception {
        demo.deployed(1);
        demo.ws.edit("keep_failed_target: false", "keep_failed_target: true");
        demo.ws.edit("health: 60s", "health: 2s");

        BatonProcess.Result failed = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/health");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(status()).contains("green={").doesNotContain("green=stopped");

        // the next deploy has its usual deadline: 2 s was for the failure, and a JVM on a busy
        // machine can take longer than that to answer (it failed so in CI)
        demo.ws.edit("health: 2s", "health: 60s");
        BatonProcess.Result next = demo.deploy(2);
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(Files.readString(logOf(next))).contains("api green is still running from an earlier deploy; stopping it");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
    }

    @Test
    void commandEngineRunsYourMigrationTool() throws Exception {
        // any tool will do; here Baton's own CLI stands in for `alembic upgrade head`
        String tool = "[" + BatonProcess.javaBin() + ", -jar, " + BatonProcess.JAR.toAbsolutePath() + ", migrate, upgrade, --config, /dev/null, --url, \""
                + demo.db.jdbcUrl() + "\", --dir, \"" + DemoFixture.RELEASES.toAbsolutePath() + "/v${DEMO_VERSION}/migrations\"]";
        // the revision is read from the tool's own version table, as Alembic's alembic_version would be
        demo.ws.edit("  engine: builtin", "  engine: command\n  revision: {table: baton_history, column: revision}\n  command: " + tool);

        BatonProcess.Result r = demo.deploy(1);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("✓ Migrate", "migrate upgrade", "at a1c0de000001, tables items", "Migration:  a1c0de000001");
        Map<?, ?> status = (Map<?, ?>) Json.parse(demo.inProcess(1, "status", "--json").out());
        assertThat(status.get("revision")).isEqualTo("a1c0de000001");
        assertThat(demo.db.column("SELECT revision FROM baton_history")).containsExactly("a1c0de000001");
        BatonProcess.Result failing = demo.deploy(3);
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.err()).contains("FAILED at Migrate", "migrations.command", "exited with 1");
        assertThat(demo.get("/api/version")).contains("\"version\":1");
    }

    String status() throws Exception {
        BatonProcess.Result r = demo.inProcess(1, "status", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return ((Map<?, ?>) Json.parse(r.out())).get("services").toString();
    }

    static Path logOf(BatonProcess.Result r) {
        return Path.of(r.err().replaceAll("(?s).*(?:Full log|Log): +(\\S+).*", "$1").strip());
    }

    @Test
    void contractRevisionsRunAfterTheOldColourStoppedAndThenRollbackIsRefusedUnlessForced() throws Exception {
        Path folder = Files.createDirectories(work.resolve("ec-migrations"));
        Files.copy(DemoFixture.RELEASES.resolve("v1/migrations/a1c0de000001_create_items.sql"),
                folder.resolve("a1c0de000001_create_items.sql"));
        Files.writeString(folder.resolve("e0c0de000001_legacy.sql"), "-- baton:revision e0c0de000001\n"
                + "-- baton:parents a1c0de000001\nCREATE TABLE legacy_notes (id int);\n");
        demo.ws.edit(DemoFixture.RELEASES_YAML, folder.toString());
        demo.deployed(1);
        // the next release no longer uses legacy_notes: a contract revision drops it (an error in an expand revision)
        Files.writeString(folder.resolve("f1c0de000001_drop_legacy.sql"), "-- baton:revision f1c0de000001\n"
                + "-- baton:parents e0c0de000001\n-- baton:phase contract\nDROP TABLE legacy_notes;\n");
        BatonProcess.Result r = demo.deploy(1);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("✓ LintMigrations", "✓ Contract").containsPattern("(?s)✓ DrainAndStop.*✓ Contract")
                .contains("e0c0de000001 → f1c0de000001 (1 contract revision)");
        assertThat(demo.db.tableExists("legacy_notes")).isFalse();

        BatonProcess.Result refused = demo.baton(1, new String[0], "rollback");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(3);
        assertThat(refused.err()).contains("contract revision(s) [f1c0de000001] ran after it was deployed", "--force");
        BatonProcess.Result forced = demo.baton(1, new String[0], "rollback", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
    }

    @Test
    void aMigrationThatWouldBreakTheServingVersionsQueriesIsRolledBackBeforeItCommitsAndV1NeverSeesIt() throws Exception {
        demo.deployed(1);
        Path folder = Files.createDirectories(work.resolve("rename-migrations"));
        for (String f : new String[] {"a1c0de000001_create_items.sql", "b2c0de000002_add_item_priority.sql"}) {
            Files.copy(DemoFixture.RELEASES.resolve("v2/migrations/" + f), folder.resolve(f));
        }
        Files.writeString(folder.resolve("c9c0de000009_rename_name.sql"), "-- baton:revision c9c0de000009\n"
                + "-- baton:parents b2c0de000002\nALTER TABLE items RENAME COLUMN name TO title;\n");
        // v1's own queries (what pg_stat_statements would list where it is loaded)
        Files.writeString(work.resolve("v1-queries.sql"), "SELECT id, name FROM items ORDER BY id;\nSELECT version();\n");
        demo.ws.edit(DemoFixture.RELEASES_YAML, folder.toString());
        demo.ws.edit("  lint: error", "  lint: off\n  serving_queries: " + work.resolve("v1-queries.sql"));
        try (var load = new LoadGenerator(List.of(demo.ws.publicUri().resolve("/api/items")), 2, 50)) {
            load.start();
            BatonProcess.Result r = demo.deploy(2);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("FAILED at Migrate", "c9c0de000009", "the serving version's query no longer works",
                    "column \"name\" does not exist", "SELECT id, name FROM items ORDER BY id");
            load.close();
            assertThat(load.failures(5)).as("v1 never saw the rename").isEmpty();
            assertThat(load.samples()).isNotEmpty();
        }
        assertThat(demo.db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY 1"))
                .as("the rename never committed, and b2 of the same run was reverted").containsExactly("id", "name");
        assertThat(demo.get("/api/version")).contains("\"version\":1");
    }
}
