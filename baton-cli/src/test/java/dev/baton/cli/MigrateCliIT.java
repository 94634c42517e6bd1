package dev.baton.cli;

import static dev.baton.migrate.testing.Files2.revision;
import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.BatonProcess.Result;
import dev.baton.migrate.internal.MigrationLock;
import dev.baton.migrate.testing.TestDatabase;
import dev.baton.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** baton migrate as a user runs it: the built jar in its own JVM against a real PostgreSQL. */
class MigrateCliIT {
    @TempDir
    Path work;

    TestDatabase db;
    Path dir;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        dir = work.resolve("migrations");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** In process: these tests need the command, not a JVM of its own (the kill and concurrency tests start real ones). */
    Result baton(String... args) {
        return BatonProcess.inProcess(work, Map.of("BATON_DATABASE_URL", db.jdbcUrl()), args);
    }


    @ParameterizedTest
    @ValueSource(strings = {"baton", "flyway", "golang-migrate", "folders"})
    void everyLayoutUpgradesAndDowngradesFromTheCli(String layout) throws Exception {
        String t1 = "CREATE TABLE items (id int);";
        String t2 = "INSERT INTO items VALUES (1), (2);";
        switch (layout) {
            case "baton" -> {
                revision(dir, "aaaa00000001", "", t1, "DROP TABLE items;");
                revision(dir, "aaaa00000002", "aaaa00000001", t2, "DELETE FROM items;");
            }
            case "flyway" -> {
                write(dir.resolve("V1__create_items.sql"), t1);
                write(dir.resolve("V2__fill_items.sql"), t2);
                write(dir.resolve("U2__fill_items.sql"), "DELETE FROM items;");
            }
            case "golang-migrate" -> {
                write(dir.resolve("000001_create_items.up.sql"), t1);
                write(dir.resolve("000002_fill_items.up.sql"), t2);
                write(dir.resolve("000002_fill_items.down.sql"), "DELETE FROM items;");
            }
            default -> {
                write(dir.resolve("2024-01-01-000000_create_items/up.sql"), t1);
                write(dir.resolve("2024-01-02-000000_fill_items/up.sql"), t2);
                write(dir.resolve("2024-01-02-000000_fill_items/down.sql"), "DELETE FROM items;");
            }
        }
        Result up = baton("migrate", "upgrade");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.err()).contains("upgrade: 2 revision(s)");
        assertThat(db.column("SELECT count(*) FROM items")).containsExactly("2");
        Result status = baton("migrate", "status", "--json");
        assertThat(status.out()).contains("\"pending_count\":0");
        Result down = baton("migrate", "downgrade", "-1");
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(db.column("SELECT count(*) FROM items")).containsExactly("0");
        assertThat(baton("migrate", "status").out()).contains("1 pending");
    }

    @Test
    void twoUpgradesStartedTogetherApplyEachRevisionExactlyOnce() throws Exception {
        revision(dir, "c1", "", "CREATE TABLE ran (revision text);\nINSERT INTO ran VALUES ('c1');\nSELECT pg_sleep(1);", null);
        revision(dir, "c2", "c1", "INSERT INTO ran VALUES ('c2');", null);
        revision(dir, "c3", "c2", "INSERT INTO ran VALUES ('c3');", null);
        Map<String, String> env = Map.of("BATON_DATABASE_URL", db.jdbcUrl());
        Process a = BatonProcess.builder(work, env, "migrate", "upgrade").redirectErrorStream(true).start();
        Process b = BatonProcess.builder(work, env, "migrate", "upgrade").redirectErrorStream(true).start();
        String outA = new String(a.getInputStream().readAllBytes());
        String outB = new String(b.getInputStream().readAllBytes());
        assertThat(a.waitFor()).as(outA).isZero();
        assertThat(b.waitFor()).as(outB).isZero();
        assertThat(db.column("SELECT revision FROM ran ORDER BY 1")).containsExactly("c1", "c2", "c3");
        assertThat(db.column("SELECT count(*) FROM baton_history")).containsExactly("3");
        // one of them did the work; the other waited for the lock and found nothing to do
        assertThat(List.of(outA, outB)).anyMatch(o -> o.contains("nothing to upgrade"));
    }

    @Test
    void killDashNineDuringALongRevisionLeavesThePreviousRevisionAndFreesTheLock() throws Exception {
        revision(dir, "k1", "", "CREATE TABLE k (id int);", null);
        Path slow = revision(dir, "k2", "k1", "INSERT INTO k VALUES (2);\nSELECT pg_sleep(120);", null);
        Process p = BatonProcess.builder(work, Map.of("BATON_DATABASE_URL", db.jdbcUrl()), "migrate", "upgrade")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query LIKE 'SELECT pg_sleep(120)%' AND state = 'active'";
        Await.until(() -> db.column(sleeping).get(0).equals("1"), "the slow revision to start", Duration.ofSeconds(60));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        p.waitFor();

        // this database's: pg_locks lists every database's advisory locks, and other test classes migrate theirs meanwhile
        String lockHeld = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid::bigint = "
                + (MigrationLock.keyFor("baton_history") & 0xffffffffL);
        Await.until(() -> db.column(lockHeld).get(0).equals("0"), "the lock to be freed", Duration.ofSeconds(30));
        Await.until(() -> db.column(sleeping).get(0).equals("0"), "the killed session's statement to end", Duration.ofSeconds(30));
        assertThat(db.column("SELECT revision FROM baton_history")).containsExactly("k1");
        assertThat(db.column("SELECT count(*) FROM k")).containsExactly("0");

        revision(dir, "k2", "k1", "INSERT INTO k VALUES (2);", null);
        assertThat(slow).exists();
        Result rerun = baton("migrate", "upgrade");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(baton("migrate", "current").out().strip()).startsWith("k2");
        assertThat(db.column("SELECT count(*) FROM k")).containsExactly("1");
    }

    @Test
    void ctrlCCancelsTheRunningStatementRollsItsRevisionBackAndSaysWhatStaysApplied() throws Exception {
        revision(dir, "c1", "", "CREATE TABLE c (id int);", null);
        revision(dir, "c2", "c1", "INSERT INTO c VALUES (2);\nSELECT pg_sleep(120);", null);
        revision(dir, "c3", "c2", "INSERT INTO c VALUES (3);", null);
        Path err = work.resolve("upgrade.err");
        Process p = BatonProcess.builder(work, Map.of("BATON_DATABASE_URL", db.jdbcUrl()), "migrate", "upgrade")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        String sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query LIKE 'SELECT pg_sleep(120)%' AND state = 'active'";
        Await.until(() -> db.column(sleeping).get(0).equals("1"), "the slow revision to start", Duration.ofSeconds(60));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("cancelled, not waited for").isTrue();

        String text = Files.readString(err);
        assertThat(p.exitValue()).as(text).isEqualTo(130);
        // before: the process died without a word
        assertThat(text).contains("interrupted: cancelling the statement that runs now", "upgrade of revision c2 failed at",
                "canceling statement due to user request (SQLSTATE 57014)", "revision c2 was rolled back",
                "the 1 revision(s) before it in this run stay applied");
        assertThat(db.column(sleeping)).as("nothing left running on the server").containsExactly("0");
        assertThat(db.column("SELECT revision FROM baton_history")).containsExactly("c1");
        assertThat(db.column("SELECT count(*) FROM c")).containsExactly("0");
    }

    @Test
    void aRevisionOutsideATransactionKilledHalfWayIsInterruptedUntilRepaired() throws Exception {
        write(dir.resolve("1_k.up.sql"), "CREATE TABLE k (id int);");
        // golang-migrate runs it as written: no wrapping transaction, so a kill leaves its first insert
        write(dir.resolve("2_fill.up.sql"), "BEGIN;\nINSERT INTO k VALUES (1);\nCOMMIT;\nSELECT pg_sleep(120);\nINSERT INTO k VALUES (2);\n");
        Process p = BatonProcess.builder(work, Map.of("BATON_DATABASE_URL", db.jdbcUrl()), "migrate", "upgrade")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND query LIKE 'SELECT pg_sleep(120)%' AND state = 'active'";
        Await.until(() -> db.column(sleeping).get(0).equals("1"), "the slow statement to start", Duration.ofSeconds(60));
        p.destroyForcibly(); // SIGKILL, half-way through revision 2
        p.waitFor();
        Await.until(() -> db.column(sleeping).get(0).equals("0"), "the killed session's statement to end", Duration.ofSeconds(30));
        assertThat(db.column("SELECT count(*) FROM k")).as("half of revision 2 is applied").containsExactly("1");

        // before: nothing recorded it, and the next upgrade ran it again from the top
        Result status = baton("migrate", "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("INTERRUPTED: upgrade of 2 started at", "never finished", "baton migrate repair",
                "(3 of 5 statements done, the last at 2_fill.up.sql:3)");
        Result refused = baton("migrate", "upgrade");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(3);
        assertThat(refused.err()).contains("nothing runs while a revision is interrupted: upgrade of 2", "--reason");
        assertThat(db.column("SELECT count(*) FROM k")).containsExactly("1");

        assertThat(baton("migrate", "repair").exitCode()).as("--reason is required").isEqualTo(2);
        db.column("DELETE FROM k WHERE id = 1 RETURNING id"); // the operator undoes what the cut-off run did
        write(dir.resolve("2_fill.up.sql"), "BEGIN;\nINSERT INTO k VALUES (1);\nCOMMIT;\nINSERT INTO k VALUES (2);\n");
        Result repair = baton("migrate", "repair", "--reason", "killed during the deploy of 29 Nov; insert undone");
        assertThat(repair.exitCode()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("2: upgrade of 2 started at", "now recorded as not applied");
        Result upgrade = baton("migrate", "upgrade");
        assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
        assertThat(db.column("SELECT id FROM k ORDER BY id")).containsExactly("1", "2");
        assertThat(baton("migrate", "status").exitCode()).isZero();
        assertThat(db.column("SELECT direction || ':' || description FROM baton_history WHERE revision = '2'"
                + " AND description NOT LIKE '%statements done%' ORDER BY id"))
                .containsExactly("started:upgrade", "repaired:killed during the deploy of 29 Nov; insert undone",
                        "started:upgrade", "upgrade:fill");
        assertThat(db.column("SELECT count(*) FROM baton_history WHERE description LIKE 'upgrade; % statements done%'"))
                .containsExactly("6"); // 3 of the cut-off run, 3 of the re-run (of 4 statements)
    }

    @Test
    void anOlderHistoryTableTakesTheRowsOfRevisionsOutsideATransaction() throws Exception {
        // the check of a table made before 'started' rows existed
        try (var c = db.connect(); var st = c.createStatement()) {
            st.execute("CREATE TABLE baton_history (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, revision text NOT NULL,"
                    + " parents text NOT NULL, description text NOT NULL, checksum text, direction text NOT NULL CHECK (direction IN"
                    + " ('upgrade', 'downgrade', 'stamp', 'unstamp')), applied_at timestamptz NOT NULL DEFAULT now(),"
                    + " applied_by text NOT NULL, execution_ms bigint NOT NULL)");
        }
        write(dir.resolve("1_k.up.sql"), "CREATE TABLE k (id int);");
        write(dir.resolve("2_index.up.sql"), "CREATE INDEX CONCURRENTLY k_id ON k (id);");
        Result r = baton("migrate", "upgrade");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(db.column("SELECT direction FROM baton_history ORDER BY id")).containsExactly("upgrade", "started", "upgrade");
    }

    @Test
    void aDatabaseGolangMigrateRanIsAdoptedFromTheCliAndADirtyOneIsRefused() throws Exception {
        write(dir.resolve("1_users.up.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("2_orders.up.sql"), "CREATE TABLE orders (id int);");
        db.execute("CREATE TABLE users (id int); CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY,"
                + " dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1, true)");
        Result status = baton("migrate", "status");
        assertThat(status.out()).contains("MIGRATED BY ANOTHER TOOL: golang-migrate (schema_migrations, 1 row)", "baton migrate adopt");
        Result upgrade = baton("migrate", "upgrade");
        assertThat(upgrade.exitCode()).isEqualTo(3);
        assertThat(upgrade.err()).contains("baton migrate adopt");
        Result dirty = baton("migrate", "adopt");
        assertThat(dirty.exitCode()).isEqualTo(3);
        assertThat(dirty.err()).contains("golang-migrate left version 1 dirty").doesNotContain("Exception");
        db.execute("UPDATE schema_migrations SET dirty = false");
        Result adopt = baton("migrate", "adopt");
        assertThat(adopt.exitCode()).as(adopt.err()).isZero();
        assertThat(adopt.out()).contains("adopted from golang-migrate (schema_migrations, left as it was): 1 revision(s)",
                "the next upgrade applies 1: 2");
        assertThat(baton("migrate", "upgrade").exitCode()).isZero();
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(baton("migrate", "adopt", "--help").out()).contains("--from", "flyway_schema_history", "SHA-384");
    }

    @Test
    void lintReportsWhatWouldBreakTheServingVersionAsTextJsonAndSarif() throws Exception {
        revision(dir, "aaaa00000001", "", "CREATE TABLE items (id int, name text);\nINSERT INTO items VALUES (1, 'a');", null);
        assertThat(baton("migrate", "upgrade").exitCode()).isZero();
        revision(dir, "aaaa00000002", "aaaa00000001", "ALTER TABLE items RENAME COLUMN name TO title;", null);
        Result text = baton("migrate", "lint", "--sarif", "lint.sarif");
        assertThat(text.exitCode()).as(text.err()).isEqualTo(1);
        assertThat(text.err()).contains("error [rename-column] revision aaaa00000002, migrations/aaaa00000002.sql:5",
                "public.items.name to title", "instead: add the new column", "1 error(s), 0 warning(s) in 1 pending revision(s);"
                + " shadow database baton_shadow_");
        Map<?, ?> sarif = (Map<?, ?>) dev.baton.Json.parse(Files.readString(work.resolve("lint.sarif")));
        assertThat(sarif.get("version")).isEqualTo("2.1.0");
        assertThat(sarif.toString()).contains("ruleId=rename-column", "level=error", "uri=migrations/aaaa00000002.sql",
                "startLine=5");
        Result json = baton("migrate", "lint", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        List<?> findings = (List<?>) dev.baton.Json.parse(json.out());
        assertThat(findings).singleElement().asString().contains("rule=rename-column", "severity=error", "line=5",
                "statement=ALTER TABLE items RENAME COLUMN name TO title");
        // accepted with a reason: exit 0; the database was never touched
        revision(dir, "aaaa00000002", "aaaa00000001", "-- baton:allow rename-column the old version is stopped first\n"
                + "ALTER TABLE items RENAME COLUMN name TO title;", null);
        Result accepted = baton("migrate", "lint");
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.err()).contains("no findings in 1 pending revision(s)");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY 1"))
                .containsExactly("id", "name");
    }

    @Test
    void failingRevisionExitsOneNamingFileLineAndLog() throws Exception {
        revision(dir, "f1", "", "CREATE TABLE f (id int);", null);
        revision(dir, "f2", "f1", "CREATE TABLE f (id int);", null);
        Result r = baton("migrate", "upgrade");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error: upgrade of revision f2 failed at").contains("f2.sql:5")
                .contains("relation \"f\" already exists").contains("full log: ").doesNotContain("Exception");
        String log = r.err().substring(r.err().indexOf("full log: ") + 10).strip();
        assertThat(Path.of(log)).exists().startsWith(work.resolve(".baton/logs"));
        assertThat(baton("migrate", "current").out()).startsWith("f1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unreachable", "login refused"})
    void aDatabaseThatCannotBeUsedIsExit3ForMigrateAndDeployAlike(String why) throws Exception {
        revision(dir, "aaaa00000001", "", "CREATE TABLE items (id int);", "DROP TABLE items;");
        String url = why.equals("unreachable") ? "postgres://postgres@127.0.0.1:1/" + db.name()
                : "postgres://no_such_role_" + db.name() + "@127.0.0.1:5432/" + db.name();
        write(work.resolve("baton.yml"), "app: shop\nservices:\n  api:\n    command: [\"true\"]\n    ports: {blue: 1001, green: 1002}\n"
                + "    health: none\nrouter:\n  listen: 127.0.0.1:1003\nmigrations:\n  url: " + url + "\n  dir: migrations\n");
        Result migrate = BatonProcess.inProcess(work, Map.of(), "migrate", "upgrade");
        Result deploy = BatonProcess.inProcess(work, Map.of(), "deploy");
        assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(3);
        assertThat(migrate.err()).contains("cannot connect to");
        assertThat(deploy.exitCode()).as(deploy.err()).isEqualTo(3);
        assertThat(deploy.err()).contains("cannot take the deploy lock");
        assertThat(migrate.err() + deploy.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void passwordsNeverAppearInOutputOrLogs() throws Exception {
        revision(dir, "p1", "", "SELECT 1/0;", null);
        String url = "postgres://postgres:s3cr3t-pw@127.0.0.1:5432/" + db.name();
        Result failed = BatonProcess.inProcess(work, Map.of(), "migrate", "upgrade", "--verbose", "--url", url);
        assertThat(failed.exitCode()).isEqualTo(1);
        Result noServer = BatonProcess.inProcess(work, Map.of(), "migrate", "current", "--url",
                "postgres://postgres:s3cr3t-pw@127.0.0.1:1/" + db.name());
        assertThat(noServer.exitCode()).as("the database cannot be reached: exit 3, as for a deploy").isEqualTo(3);
        assertThat(noServer.err()).contains("cannot connect").contains("127.0.0.1:1");
        Result pwOption = BatonProcess.inProcess(work, Map.of(), "migrate", "current", "--url", "jdbc:postgresql://127.0.0.1:1/x",
                "--password", "s3cr3t-pw", "--user", "postgres");
        String all = failed.out() + failed.err() + noServer.out() + noServer.err() + pwOption.out() + pwOption.err();
        try (var logs = Files.walk(work.resolve(".baton"))) {
            for (Path p : logs.filter(Files::isRegularFile).toList()) {
                all += Files.readString(p);
            }
        }
        assertThat(all).contains("division by zero").doesNotContain("s3cr3t-pw");
    }

    @Test
    void configFileSuppliesUrlAndFolderAndReportsBadKeysWithLines() throws Exception {
        revision(work.resolve("db/migrations"), "y1", "", "CREATE TABLE y (id int);", null);
        write(work.resolve("baton.yml"), "app: demo\nmigrations:\n  url: ${APP_DB}\n  dir: db/migrations\n  verify_tables: [y]\n");
        Result up = BatonProcess.inProcess(work, Map.of("APP_DB", db.jdbcUrl()), "migrate", "upgrade");
        assertThat(up.exitCode()).as(up.err()).isZero();
        Result verify = BatonProcess.inProcess(work, Map.of("APP_DB", db.jdbcUrl()), "migrate", "verify");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("tables exist: y");

        Result missingVar = BatonProcess.inProcess(work, Map.of(), "migrate", "current");
        assertThat(missingVar.exitCode()).isEqualTo(2);
        assertThat(missingVar.err()).contains("migrations.url").contains("APP_DB is not set").contains("baton.yml:3");

        write(work.resolve("baton.yml"), "migrations:\n  url: x\n  lock_timout: 5s\n");
        Result badKey = BatonProcess.inProcess(work, Map.of(), "migrate", "current");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.err()).contains("migrations.lock_timout: unknown key").contains("baton.yml:3");
    }

    @Test
    void verifyExitsThreeWhenAnAppliedFileChanged() throws Exception {
        revision(dir, "v1", "", "CREATE TABLE v (id int);", null);
        assertThat(baton("migrate", "upgrade").exitCode()).isZero();
        revision(dir, "v1", "", "CREATE TABLE v (id bigint);", null);
        Result verify = baton("migrate", "verify");
        assertThat(verify.exitCode()).isEqualTo(3);
        assertThat(verify.err()).contains("v1").contains("changed since it was applied");
        Result upgrade = baton("migrate", "upgrade");
        assertThat(upgrade.exitCode()).isEqualTo(3);
        assertThat(upgrade.err()).contains("--allow-changed");
    }

    @Test
    void jsonOutputsAreMachineReadable() throws Exception {
        revision(dir, "j1", "", "CREATE TABLE j (id int);", null);
        revision(dir, "j2", "j1", "SELECT 1;", null);
        Result up = baton("migrate", "upgrade", "j1", "--json");
        assertThat(up.out().strip()).startsWith("{\"direction\":\"upgrade\",\"before\":[],\"after\":[\"j1\"]");
        assertThat(baton("migrate", "current", "--json").out()).startsWith("{\"current\":[{\"revision\":\"j1\"");
        assertThat(baton("migrate", "heads", "--json").out()).startsWith("{\"heads\":[{\"revision\":\"j2\"");
        assertThat(baton("migrate", "history", "--json").out()).contains("\"state\":\"applied\"").contains("\"state\":\"pending\"");
        assertThat(baton("migrate", "status", "--json").out()).contains("\"pending_count\":1");
    }
}
