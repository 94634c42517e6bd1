package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.demo.LoadGenerator;
import dev.baton.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `baton deploy` and `baton rollback` when something goes wrong after the start: validation
 * failing, a second deploy, kill -9, Ctrl-C; the real jar and processes, as {@link DeployCliIT}.
 */
class DeployRecoveryIT extends DemoTestBase {
    @Test
    void failedValidationSwitchesTrafficBack() throws Exception {
        demo.deployed(1);

        demo.ws.edit("validate: 10s", "validate: 2s");
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/version]"); // let /api/items fail in Validate
        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("✓ SwitchTraffic", "FAILED at Validate", "/api/items → HTTP 500",
                "undone SwitchTraffic", "traffic stays on blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.status().get("active")).isEqualTo("blue");
        assertThat(demo.status().get("services").toString()).contains("green=stopped");
    }

    @Test
    void secondDeployIsRefusedNamingTheFirst() throws Exception {
        demo.deployed(1);
        // the first deploy waits in a gate until the test lets it go
        demo.ws.edit("# gates:", "gates: [{name: hold, shell: \"while [ ! -e go ]; do sleep 0.05; done\"}]\n# gates:");
        Process first = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("first.out").toFile()).start();
        try {
            Await.until(() -> demo.status().get("lock_holder") != null, "the first deploy holds the lock");

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
    void killedDuringMigrationIsShownByStatusAndSettledByRecoverWhichRevertsTheSchema() throws Exception {
        demo.deployed(1);
        Process deploy = demo.deployStuckInMigration(60, work.resolve("killed.out"));
        deploy.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        deploy.waitFor(10, TimeUnit.SECONDS);

        BatonProcess.Result status = demo.inProcess(2, "status");
        assertThat(status.exitCode()).as("a killed deploy is not a consistent state").isEqualTo(1);
        assertThat(status.out()).contains("INTERRUPTED: deploy", "was killed at Migrate", "run baton recover");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        BatonProcess.Result recover = demo.baton(2, new String[0], "recover");
        assertThat(recover.exitCode()).as(recover.err()).isZero();
        assertThat(recover.err()).contains("stopped green", "reverted the schema to a1c0de000001", "Recovered: blue serves");
        Map<String, Object> after = demo.status();
        assertThat(after.get("active")).isEqualTo("blue");
        assertThat(after.get("revision")).as("traffic never reached v2: its schema is reverted").isEqualTo("a1c0de000001");
        assertThat(after.get("services").toString()).contains("green=stopped");
        assertThat(after.get("journal")).isNull();
        assertThat(demo.inProcess(2, "history").out()).contains("interrupted");

        demo.endSlowMigrations();
        BatonProcess.Result next = demo.deploy(2);
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.db.column("SELECT DISTINCT revision FROM baton_history ORDER BY 1"))
                .containsExactly("a1c0de000001", "b2c0de000002");
    }

    @Test
    void aDeployThatCannotUndoItsMigrationIsLeftToRecoverWhichRevertsWithThatDeploysFolder() throws Exception {
        demo.deployed(1);
        // v2's migrations with a down-migration that fails, as one would while its database is gone
        Path v2 = Files.createDirectories(work.resolve("v2-migrations"));
        try (var files = Files.list(DemoFixture.RELEASES.resolve("v2/migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, v2.resolve(f.getFileName()));
            }
        }
        Path b2 = v2.resolve("b2c0de000002_add_item_priority.sql");
        String good = Files.readString(b2);
        Files.writeString(b2, good.replace("DROP COLUMN priority", "DROP COLUMN no_such_column"));
        demo.ws.edit(DemoFixture.RELEASES_YAML, v2.toString());

        BatonProcess.Result failed = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/items"); // the warm-up fails after Migrate

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains("FAILED at WarmUp", "undo of Migrate failed", "NOT rolled back",
                "run `baton recover`: it finishes the undo (back to blue");
        // today's baton.yml reads v1's folder again, which has no down-migration for b2
        demo.ws.edit(v2.toString(), DemoFixture.RELEASES_YAML);
        BatonProcess.Result status = demo.inProcess(1, "status");
        assertThat(status.exitCode()).as(status.out()).isEqualTo(1);
        assertThat(status.out()).contains("UNSETTLED: deploy", "failed at WarmUp (the undo of Migrate failed:",
                "run baton recover to finish its undo");
        assertThat(status.err()).contains("a failed deploy that could not undo itself left the app unsettled; run: baton recover");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        Files.writeString(b2, good); // the cause fixed
        BatonProcess.Result recover = demo.inProcess(1, "recover");

        assertThat(recover.exitCode()).as(recover.err()).isZero();
        assertThat(recover.err()).contains("stopped green", "reverted the schema to a1c0de000001",
                "with the down-migrations in " + v2.toAbsolutePath(), "Recovered: blue serves; the undo of deploy");
        Map<String, Object> after = demo.status();
        assertThat(after.get("active")).isEqualTo("blue");
        assertThat(after.get("revision")).isEqualTo("a1c0de000001");
        assertThat(after.get("services").toString()).contains("green=stopped");
        assertThat(after.get("journal")).isNull();
        assertThat(demo.inProcess(1, "history").out()).containsPattern("recover .* -→blue +succeeded")
                .contains("failed", "(failed at WarmUp)").doesNotContain("interrupted");
    }

    @Test
    void ctrlCDuringADeployUndoesItBeforeTrafficMoves() throws Exception {
        demo.deployed(1);
        Process deploy = demo.deployHeldInMigration(work.resolve("interrupted.out"));
        new ProcessBuilder("kill", "-INT", Long.toString(deploy.pid())).start().waitFor();
        Await.until(() -> read(work.resolve("interrupted.out")).contains("interrupted: stopping"), "the deploy to take the Ctrl-C");
        demo.openGate(); // the migration under way finishes (it is not cut off), then the deploy stops
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String out = Files.readString(work.resolve("interrupted.out"));
        assertThat(out).contains("interrupted: stopping the deploy at the next step",
                "interrupted (Ctrl-C or SIGTERM) before WarmUp", "undone Migrate", "undone StartTarget");
        Map<String, Object> status = demo.status();
        assertThat(status.get("active")).isEqualTo("blue");
        assertThat(status.get("revision")).as("the migration is reverted").isEqualTo("a1c0de000001");
        assertThat(status.get("services").toString()).contains("green=stopped");
        assertThat(status.get("lock_holder")).isNull();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
    }

    @Test
    void rollbackSendsTrafficBackStartingThePreviousColour() throws Exception {
        demo.deployed(1);
        demo.deployed(2);
        assertThat(demo.status().get("services").toString()).contains("blue=stopped");

        BatonProcess.Result r = demo.baton(1, new String[0], "rollback");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("Rolled back demo", "GREEN → BLUE")
                .containsPattern("✓ RollbackColours .* green → blue").containsPattern("✓ StartIfStopped .* started 1 on blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.status().get("active")).isEqualTo("blue");
        assertThat(demo.status().get("previous")).isEqualTo("green");
        assertThat(demo.inProcess(1, "history").out()).contains("rollback");
    }

    @Test
    void aForeignListenerOnTheTargetPortIsRefusedBeforeAnythingStarts() throws Exception {
        demo.deployed(1);
        int green = demo.ws.port("GREEN");
        // something else (here, this test's JVM) listens where the new version would: before, it
        // passed the health checks and took the traffic while the real new version failed to bind
        try (ServerSocket foreign = new ServerSocket(green, 50, InetAddress.getLoopbackAddress())) {
            BatonProcess.Result r = demo.deploy(2);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("FAILED at StartTarget", "port " + green + " of services.api.green is taken by java (pid "
                    + ProcessHandle.current().pid() + ")", "nothing was started").doesNotContain("SwitchTraffic");
        }
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(demo.status().get("services").toString()).contains("green=stopped");
        assertThat(demo.deploy(2).exitCode()).as("the next deploy, once the port is free").isZero();
    }

    @Test
    void aLostDeployLockStopsTheDeployBeforeTrafficMovesAndUndoesIt() throws Exception {
        demo.deployed(1);
        Process deploy = demo.deployHeldInMigration(work.resolve("lost-lock.out"));
        // the lock's session ends (a server restart or an idle timeout does the same): from now on
        // a second deploy could take the lock, so this one must not go on to the switch
        assertThat(demo.db.column("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name LIKE 'baton deploy demo%' AND datname = current_database()")).containsExactly("1");
        demo.openGate();
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String out = Files.readString(work.resolve("lost-lock.out"));
        assertThat(deploy.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("the deploy lock was lost", "undone Migrate", "undone StartTarget", "traffic stays on blue")
                .doesNotContain("✓ SwitchTraffic");
        Map<String, Object> status = demo.status();
        assertThat(status.get("active")).isEqualTo("blue");
        assertThat(status.get("revision")).as("the migration is reverted").isEqualTo("a1c0de000001");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        demo.endSlowMigrations();
        assertThat(demo.deploy(2).exitCode()).as("the next deploy").isZero();
    }

    @Test
    void aLostDeployLockTakenByASecondDeployIsLeftToItAndSettledBeforeItGoesOn() throws Exception {
        demo.deployed(1);
        demo.ws.edit("  validate: 10s", "  validate: 10s\n  lock: 60s"); // the second deploy waits for the lock
        Process first = demo.deployHeldInMigration(work.resolve("first.out"));
        Process second = demo.deployInBackground(2).redirectErrorStream(true).redirectOutput(work.resolve("second.out").toFile()).start();
        try (var load = new LoadGenerator(List.of(demo.ws.publicUri().resolve("/api/version")), 2, 50)) {
            load.start();
            Await.until(() -> demo.db.column("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'baton deploy demo%pid "
                    + second.pid() + "' AND datname = current_database()").get(0).equals("1"), "the second deploy waiting for the lock");
            // the first deploy's lock session ends (a server restart or an idle timeout does the same):
            // the second takes the lock at once, while the first is still in its migration
            assertThat(demo.db.column("SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                    + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'baton deploy demo%pid " + first.pid() + "'"
                    + " AND a.datname = current_database()")).containsExactly("1");
            // the second asks for the lock every 50 ms: let it have it before the first can look again
            Await.until(() -> demo.db.column("SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                    + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'baton deploy demo%pid " + second.pid() + "'"
                    + " AND a.datname = current_database()").get(0).equals("1"), "the second deploy holding the lock");
            demo.openGate(); // the first deploy's migration ends now, while the second holds the lock
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            load.close();
            assertThat(load.stats().failed()).as("failed requests: " + load.failures(5)).isZero();
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }

        // before: the first undid its work (stopping green, reverting the schema) while the second
        // deployed the same colour. Now the first stops without undoing anything; the second waits
        // for it to end, settles what it left (its recovery), then deploys
        String one = read(work.resolve("first.out"));
        String two = read(work.resolve("second.out"));
        assertThat(first.exitValue()).as(one).isEqualTo(3);
        assertThat(one).contains("the deploy lock was lost", "holds it now", "undoes nothing", "not undone Migrate")
                .doesNotContain("↶ undone", "✓ SwitchTraffic");
        assertThat(second.exitValue()).as(two).isZero();
        assertThat(two).contains("✓ Wait", "which lost the deploy lock, has stopped", "✓ Recover", "✓ SwitchTraffic");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.status().get("services").toString()).contains("blue=stopped");
        BatonProcess.Result history = demo.inProcess(2, "history");
        assertThat(history.out()).contains("interrupted").contains("succeeded");
        assertThat(demo.inProcess(2, "history", "--json").out()).contains("stopped at WarmUp (its deploy lock was lost)");
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
