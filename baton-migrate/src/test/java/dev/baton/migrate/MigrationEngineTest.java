package dev.baton.migrate;

import static dev.baton.migrate.testing.Files2.revision;
import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.internal.MigrationLock;
import dev.baton.migrate.internal.SqlSplitter;
import dev.baton.migrate.internal.SqlStatement;
import dev.baton.migrate.testing.TestDatabase;
import dev.baton.testing.Await;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationEngineTest {
    @TempDir
    Path tmp;

    TestDatabase db;
    Path dir;
    List<String> notes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        dir = tmp.resolve("migrations");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    MigrationEngine engine() {
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs"));
        return new MigrationEngine(s, new MigrationListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
    }

    List<String> applied() {
        return engine().current().stream().map(AppliedRevision::revision).toList();
    }

    void linear() {
        revision(dir, "r1", "", "CREATE TABLE users (id serial PRIMARY KEY, name text);", "DROP TABLE users;");
        revision(dir, "r2", "r1", "ALTER TABLE users ADD COLUMN email text;", "ALTER TABLE users DROP COLUMN email;");
        revision(dir, "r3", "r2", "CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users);", "DROP TABLE orders;");
    }

    /** An engine whose statements wait at most {@code timeout} for a table lock, and whose notes can act. */
    MigrationEngine engine(StatementLocks locks, Consumer<String> onNote) {
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")).withStatementLocks(locks);
        return new MigrationEngine(s, new MigrationListener() {
            @Override
            public void note(String message) {
                notes.add(message);
                onNote.accept(message);
            }
        });
    }

    /** A session of the running app, in the middle of a transaction that read the users table. */
    Connection readingUsers() throws Exception {
        Connection app = db.connect();
        app.setAutoCommit(false);
        try (Statement st = app.createStatement()) {
            st.execute("SET application_name = 'the-app'");
            st.execute("SELECT count(*) FROM users"); // holds ACCESS SHARE until the transaction ends
        }
        return app;
    }

    @Test
    void aRevisionThatCannotGetItsTableLockIsRolledBackAndTriedAgain() throws Exception {
        linear();
        engine().upgrade("r1", false, false);
        try (Connection app = readingUsers()) {
            RunReport r = engine(new StatementLocks(Duration.ofMillis(200), 3), note -> {
                try {
                    app.commit(); // the app's transaction ends while the revision waits to be retried
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).upgrade("r2", false, false);

            assertThat(r.after()).containsExactly("r2");
        }
        assertThat(notes).singleElement().asString().contains("revision r2 waited over 200 ms for a table lock",
                "rolled back, trying again in", "(retry 1 of 3)")
                .containsPattern("held by pid \\d+ \\(the-app, idle in transaction, in a transaction for \\d+ s.*SELECT count\\(\\*\\) FROM users");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'users'")).contains("email");
    }

    @Test
    void aRevisionThatNeverGetsItsTableLockFailsWithoutStallingTheApp() throws Exception {
        linear();
        engine().upgrade("r1", false, false);
        try (Connection app = readingUsers()) {
            assertThatThrownBy(() -> engine(new StatementLocks(Duration.ofMillis(100), 2), note -> { }).upgrade("r2", false, false))
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("upgrade of revision r2 failed")
                    .hasMessageContaining("SQLSTATE 55P03")
                    .hasMessageContaining("a table lock was not granted within 100 ms (statement_lock_timeout) in 3 tries")
                    .hasMessageContaining("held by pid ").hasMessageContaining("the-app, idle in transaction")
                    .hasMessageContaining("pg_stat_activity");
            try (Statement st = app.createStatement()) {
                st.execute("SELECT count(*) FROM users"); // the app's session carries on
            }
        }
        assertThat(notes).hasSize(2);
        assertThat(applied()).containsExactly("r1");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'users'"))
                .doesNotContain("email");
    }

    @Test
    void aGolangMigrateFolderRunsAsGolangMigrateRunsItOwnTransactionsAndConcurrentIndexesIncluded() throws Exception {
        write(dir.resolve("1_users.up.sql"), "CREATE TABLE users (id int, email text);");
        write(dir.resolve("1_users.down.sql"), "DROP TABLE users;");
        write(dir.resolve("2_fill.up.sql"), "BEGIN;\nINSERT INTO users VALUES (1, 'a@x');\nINSERT INTO users VALUES (2, 'b@x');\nCOMMIT;\n");
        write(dir.resolve("3_email_index.up.sql"), "CREATE INDEX CONCURRENTLY users_email ON users (email);\n");
        RunReport r = engine().upgrade("head", false, false);
        assertThat(r.steps()).hasSize(3);
        assertThat(applied()).containsExactly("3");
        assertThat(db.column("SELECT count(*) FROM users")).containsExactly("2");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'users'")).containsExactly("users_email");
        assertThat(notes).anyMatch(n -> n.startsWith("revision 2 runs outside Baton's transaction, as written"))
                .anyMatch(n -> n.startsWith("revision 3 runs outside Baton's transaction"))
                .noneMatch(n -> n.startsWith("revision 1 "));
        // no session left idle in a transaction (Flyway 11 waits for good on its own session here)
        assertThat(db.column("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                + " AND datname = current_database()")).containsExactly("0");
    }

    @Test
    void aDieselFolderWithBothVersionStylesRunsInDieselsOrder() {
        write(dir.resolve("2017-09-23-182408_email_index/up.sql"), "CREATE INDEX emails_address ON emails (address);");
        write(dir.resolve("20170101000000_emails/up.sql"), "CREATE TABLE emails (address text);");
        write(dir.resolve("20170101000000_emails/down.sql"), "DROP TABLE emails;");
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("2017-09-23-182408");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'emails'")).containsExactly("emails_address");
    }

    @Test
    void aCheckoutWithOtherLineEndingsIsNotAChangeButAnEditIs() throws Exception {
        Path v1 = write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);\n\nINSERT INTO users VALUES (1);\n");
        engine().upgrade("head", false, false);
        assertThat(engine().verify(List.of("users")).ok()).isTrue();
        // the same file checked out on Windows (CRLF), and saved without its final newline
        Files.writeString(v1, "CREATE TABLE users (id int);\r\n\r\nINSERT INTO users VALUES (1);");
        assertThat(engine().verify(List.of("users")).problems()).isEmpty();
        Files.writeString(v1, "CREATE TABLE users (id int);\r\n\r\nINSERT INTO users VALUES (2);");
        assertThat(engine().verify(List.of("users")).problems()).singleElement().asString().contains("V1__users.sql");
    }

    @Test
    void aCancelledRunStartsNoFurtherRevisionAndACancelMidStatementRollsItsRevisionBack() throws Exception {
        linear();
        MigrationEngine cancelledFirst = engine();
        cancelledFirst.cancel();
        assertThatThrownBy(() -> cancelledFirst.upgrade("head", false, false)).isInstanceOf(MigrationFailedException.class)
                .hasMessageStartingWith("cancelled (Ctrl-C or SIGTERM) before revision r1: it and the revisions after it did not run");
        assertThat(applied()).isEmpty();

        revision(dir, "r4", "r3", "CREATE TABLE slow (id int);\nSELECT pg_sleep(60);", "DROP TABLE slow;");
        MigrationEngine e = engine();
        var run = CompletableFuture.supplyAsync(() -> e.upgrade("head", false, false));
        Await.until(() -> db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'"
                + " AND state = 'active' AND datname = current_database()").get(0).equals("1"), "r4 to run");
        e.cancel();
        assertThatThrownBy(run::join).hasCauseInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("canceling statement due to user request").hasMessageContaining("revision r4 was rolled back")
                .hasMessageContaining("the 3 revision(s) before it in this run stay applied");
        assertThat(applied()).containsExactly("r3");
        assertThat(db.column("SELECT to_regclass('slow') IS NULL")).containsExactly("t");
    }

    @Test
    void filesSavedWithAByteOrderMarkRunInEveryLayout() throws Exception {
        String bom = "\uFEFF";
        // Flyway drops the mark; the others' tools would send it to PostgreSQL as the first word
        Path flyway = tmp.resolve("flyway");
        write(flyway.resolve("V1__users.sql"), bom + "CREATE TABLE users (id int);\r\nINSERT INTO users VALUES (1);\r\n");
        write(flyway.resolve("V2__index.sql"), bom + "-- no-transaction\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n");
        Path golang = tmp.resolve("golang");
        write(golang.resolve("1_users.up.sql"), bom + "CREATE TABLE users (id int);");
        write(golang.resolve("1_users.down.sql"), bom + "DROP TABLE users;");
        Path baton = tmp.resolve("baton");
        revision(baton, "r1", "", "CREATE TABLE users (id int);", "DROP TABLE users;");
        Path r1 = baton.resolve("r1.sql");
        Files.writeString(r1, bom + Files.readString(r1));
        for (Path folder : List.of(flyway, golang, baton)) {
            dir = folder;
            engine().upgrade("head", false, false);
            assertThat(db.column("SELECT count(*) FROM pg_tables WHERE tablename = 'users'")).as(folder.toString()).containsExactly("1");
            if (folder != flyway) {
                engine().downgrade("base");
                assertThat(db.column("SELECT count(*) FROM pg_tables WHERE tablename = 'users'")).as(folder.toString()).containsExactly("0");
            }
            assertThat(engine().verify(List.of()).problems()).as(folder.toString()).isEmpty();
            if (folder == flyway) {
                assertThat(applied()).containsExactly("2");
                db.execute("DROP TABLE users; DROP TABLE baton_history");
            } else {
                db.execute("DROP TABLE baton_history");
            }
        }
    }

    @Test
    void aFileOfAFlywayFolderThatFlywayWouldNotRunIsNamedNotSkippedWithoutAWord() {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("v2__lower_case_prefix.sql"), "CREATE TABLE a (id int);");
        write(dir.resolve("V3_one_underscore.sql"), "CREATE TABLE b (id int);");
        write(dir.resolve("README.md"), "not SQL: not named");
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("1");
        assertThat(notes).anySatisfy(n -> assertThat(n).endsWith("v2__lower_case_prefix.sql is not named as Flyway names a"
                        + " migration (V<version>__<description>.sql, U... for an undo, R__<description>.sql; the prefix is"
                        + " case-sensitive), so it is not run, as Flyway would not run it; rename it if it is one"))
                .anySatisfy(n -> assertThat(n).contains("V3_one_underscore.sql is not named as Flyway names a migration"))
                .noneSatisfy(n -> assertThat(n).contains("README"));
    }

    @Test
    void aFlywayFolderWithPlaceholdersRunsWithTheirValuesAndFlywaysOwn() {
        write(dir.resolve("V1__schema.sql"), "CREATE SCHEMA ${app_schema};\nCREATE TABLE ${app_schema}.notes (by text DEFAULT '${flyway:user}',"
                + " file text DEFAULT '${flyway:filename}', history text DEFAULT '${flyway:table}');\n");
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs"))
                .withPlaceholders(Map.of("app_schema", "shop"));
        new MigrationEngine(s, new MigrationListener() { }).upgrade("head", false, false);
        assertThat(db.column("SELECT column_default FROM information_schema.columns WHERE table_schema = 'shop'"
                + " AND table_name = 'notes' ORDER BY ordinal_position"))
                .containsExactly("'" + db.column("SELECT current_user").get(0) + "'::text", "'V1__schema.sql'::text", "'baton_history'::text");
    }

    @Test
    void flywayRepeatablesRunAfterTheVersionedOnesInDescriptionOrderAndAgainWhenTheirChecksumChanges() throws Exception {
        write(dir.resolve("V1__items.sql"), "CREATE TABLE items (id int, price int);");
        write(dir.resolve("R__b_view.sql"), "CREATE OR REPLACE VIEW cheap AS SELECT id FROM items WHERE price < ${limit};");
        write(dir.resolve("R__a_log.sql"), "CREATE TABLE IF NOT EXISTS runs (what text);\nINSERT INTO runs VALUES ('a');");
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")).withPlaceholders(Map.of("limit", "10"));
        MigrationEngine engine = new MigrationEngine(s, new MigrationListener() { });
        assertThat(engine.status().pending()).extracting(Revision::id).containsExactly("1", "R__a_log", "R__b_view");
        RunReport first = engine.upgrade("head", false, false);
        assertThat(first.steps()).extracting(step -> step.revision().id()).containsExactly("1", "R__a_log", "R__b_view");
        assertThat(applied()).containsExactly("1"); // a repeatable is never a head
        assertThat(engine.upgrade("head", false, false).steps()).isEmpty();
        assertThat(engine.status().pending()).isEmpty();

        // an edited repeatable runs again (and is no "changed applied revision"); so does one whose placeholder value changed
        write(dir.resolve("V2__items_name.sql"), "ALTER TABLE items ADD COLUMN name text;");
        write(dir.resolve("R__b_view.sql"), "CREATE OR REPLACE VIEW cheap AS SELECT id, name FROM items WHERE price < ${limit};");
        assertThat(new MigrationEngine(s, new MigrationListener() { }).verify(List.of()).problems()).isEmpty();
        assertThat(new MigrationEngine(s, new MigrationListener() { }).upgrade("head", false, false).steps())
                .extracting(step -> step.revision().id()).containsExactly("2", "R__b_view");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'cheap' ORDER BY 1"))
                .containsExactly("id", "name");
        MigrateSettings other = s.withPlaceholders(Map.of("limit", "20"));
        assertThat(new MigrationEngine(other, new MigrationListener() { }).upgrade("head", false, false).steps())
                .extracting(step -> step.revision().id()).containsExactly("R__b_view");
        assertThat(db.column("SELECT pg_get_viewdef('cheap')").get(0)).contains("< 20");
        assertThat(db.column("SELECT count(*) FROM runs")).containsExactly("1");

        // two with one description are refused as Flyway refuses them
        write(dir.resolve("R__a log.sql"), "SELECT 1;");
        assertThatThrownBy(() -> engine().status()).hasMessageContaining("R__a_log.sql: repeatable migration with the same"
                + " description as R__a log.sql");
    }

    @Test
    void aFlywayFileOfConcurrentIndexesRunsOutsideATransactionAndOneMixingThemIsRefusedAsFlywayRefusesIt() throws Exception {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int, email text);");
        write(dir.resolve("V2__users_email.sql"), "-- Flyway runs this outside a transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);");
        engine().upgrade("head", false, false);
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'users'")).containsExactly("users_email");
        assertThat(db.column("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                + " AND datname = current_database()")).containsExactly("0");
        write(dir.resolve("V3__users_id.sql"), "ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX CONCURRENTLY users_id ON users (id);");
        assertThatThrownBy(() -> engine().status()).isInstanceOfSatisfying(BatonException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("V3__users_id.sql:2: this statement cannot run in a transaction").hasMessageContaining("mixed");
    }

    @Test
    void contractRevisionsRunInTheirOwnPhaseAfterTheExpandOnes() {
        revision(dir, "e1", "", "CREATE TABLE users (id int, name text, full_name text);", null);
        write(dir.resolve("c2.sql"), "-- baton:revision c2\n-- baton:parents e1\n-- baton:phase contract\n"
                + "ALTER TABLE users DROP COLUMN name;\n");
        revision(dir, "e3", "c2", "CREATE INDEX users_full_name ON users (full_name);", null);
        assertThat(engine().status().pending()).extracting(r -> r.id() + (r.contract() ? " (contract)" : ""))
                .containsExactly("e1", "c2 (contract)", "e3");
        // expand stops before the first contract revision: e3 follows it, so it waits too
        assertThat(engine().upgrade("heads", false, false, Phase.EXPAND).steps()).extracting(st -> st.revision().id())
                .containsExactly("e1");
        assertThat(engine().upgrade("heads", false, false, Phase.EXPAND).steps()).isEmpty();
        assertThat(engine().upgrade("heads", false, false, Phase.CONTRACT).steps()).extracting(st -> st.revision().id())
                .containsExactly("c2", "e3");
    }

    @Test
    void otherLayoutsNameTheirContractRevisionsByIdOrFileGlob() {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int, name text);");
        write(dir.resolve("V2__drop_name.sql"), "ALTER TABLE users DROP COLUMN name;");
        write(dir.resolve("V3__index.sql"), "CREATE INDEX users_id ON users (id);");
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")).withContract(List.of("*__drop_*"));
        assertThat(new MigrationEngine(s, MigrationListener.NONE).upgrade("head", false, false, Phase.EXPAND).steps())
                .extracting(st -> st.revision().id()).containsExactly("1");
        assertThat(new MigrationEngine(s.withContract(List.of("3")), MigrationListener.NONE).status().pending())
                .extracting(Revision::contract).containsExactly(false, true);
    }

    @Test
    void aRevisionThatWouldBreakAServingQueryIsRolledBackBeforeItCommits() throws Exception {
        revision(dir, "s1", "", "CREATE TABLE users (id int, name text);", null);
        engine().upgrade("head", false, false);
        Path queries = write(tmp.resolve("serving.sql"), "SELECT id, name FROM users WHERE id = $1;\n"
                + "INSERT INTO users (id, name) VALUES ($1, $2);\nSELECT gone FROM nowhere;\n");
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")).withServingQueries(queries.toString());
        revision(dir, "s2", "s1", "ALTER TABLE users ADD COLUMN email text;", null); // compatible: goes through
        assertThat(new MigrationEngine(s, MigrationListener.NONE).upgrade("head", false, false).steps()).hasSize(1);
        revision(dir, "s3", "s2", "ALTER TABLE users RENAME COLUMN name TO full_name;", null);
        assertThatThrownBy(() -> new MigrationEngine(s, MigrationListener.NONE).upgrade("head", false, false))
                .isInstanceOf(MigrationFailedException.class)
                .hasMessageContaining("upgrade of revision s3 failed")
                .hasMessageContaining("the serving version's query no longer works on the schema this revision leaves")
                .hasMessageContaining("column \"name\" does not exist")
                .hasMessageContaining("SELECT id, name FROM users WHERE id = $1")
                .hasMessageContaining("revision s3 was rolled back");
        assertThat(applied()).containsExactly("s2");
        assertThat(db.column("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY 1"))
                .containsExactly("email", "id", "name");
    }

    @Test
    void golangMigrateVersionsAreNumbersSo01And1AreOneVersion() {
        write(dir.resolve("01_users.up.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("1_orders.up.sql"), "CREATE TABLE orders (id int);");
        assertThatThrownBy(() -> engine().status()).isInstanceOfSatisfying(BatonException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("1_orders.up.sql").hasMessageContaining("01_users.up.sql");
    }

    @Test
    void anSqlxFolderUpgradesAndItsReversibleMigrationsDowngrade() {
        write(dir.resolve("1_users.up.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("1_users.down.sql"), "DROP TABLE users;");
        write(dir.resolve("2_index.sql"), "-- no-transaction\nCREATE INDEX CONCURRENTLY users_id ON users (id);");
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("2");
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 'users'")).containsExactly("users_id");
        assertThatThrownBy(() -> engine().downgrade("base")).hasMessageContaining("has no down migration");
    }

    @Test
    void aDatabaseAnotherToolMigratedIsNotMigratedAgainFromTheFirstFile() throws Exception {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("V2__orders.sql"), "CREATE TABLE orders (id int);");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE users (id int)"); // what Flyway ran, and its record of it
            st.execute("CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50))");
            st.execute("INSERT INTO flyway_schema_history VALUES (1, '1')");
        }
        assertThat(engine().status().otherTools()).containsExactly("Flyway (flyway_schema_history, 1 row)");
        assertThatThrownBy(() -> engine().upgrade("head", false, false)).isInstanceOfSatisfying(BatonException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE))
                .hasMessageContaining("this database was migrated by Flyway (flyway_schema_history, 1 row)")
                .hasMessageContaining("baton migrate adopt");
        engine().stamp("1");
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("2");
        assertThat(engine().status().otherTools()).isEmpty();
    }

    @Test
    void dieselsMetadataTomlRunsBothDirectionsOutsideATransaction() {
        write(dir.resolve("2024-01-01-000000_t/up.sql"), "CREATE TABLE t (x int);");
        write(dir.resolve("2024-01-01-000000_t/down.sql"), "DROP TABLE t;");
        write(dir.resolve("2024-01-02-000000_i/up.sql"), "CREATE INDEX CONCURRENTLY t_x ON t (x);");
        write(dir.resolve("2024-01-02-000000_i/down.sql"), "DROP INDEX CONCURRENTLY t_x;");
        write(dir.resolve("2024-01-02-000000_i/metadata.toml"), "run_in_transaction = false\n");
        engine().upgrade("head", false, false);
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 't'")).containsExactly("t_x");
        engine().downgrade("-1"); // before: the down.sql was refused ("cannot run inside a transaction")
        assertThat(db.column("SELECT indexname FROM pg_indexes WHERE tablename = 't'")).isEmpty();
        assertThat(applied()).containsExactly("2024-01-01-000000");
    }

    @Test
    void upgradeAppliesEverythingInOrderAndRecordsHistory() {
        linear();
        assertThat(engine().status().pending()).extracting(Revision::id).containsExactly("r1", "r2", "r3");
        RunReport report = engine().upgrade("head", false, false);
        assertThat(report.steps()).extracting(s -> s.revision().id()).containsExactly("r1", "r2", "r3");
        assertThat(report.before()).isEmpty();
        assertThat(report.after()).containsExactly("r3");
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(db.column("SELECT revision || ':' || direction || ':' || parents FROM baton_history ORDER BY id"))
                .containsExactly("r1:upgrade:", "r2:upgrade:r1", "r3:upgrade:r2");
        assertThat(db.column("SELECT count(*) FROM baton_history WHERE checksum IS NOT NULL AND applied_by LIKE '%@%'"
                + " AND execution_ms >= 0")).containsExactly("3");
        assertThat(applied()).containsExactly("r3");
        assertThat(engine().status().pending()).isEmpty();
        assertThat(engine().upgrade("head", false, false).steps()).isEmpty();
    }

    @Test
    void relativeAndExplicitTargets() {
        linear();
        engine().upgrade("+1", false, false);
        assertThat(applied()).containsExactly("r1");
        engine().upgrade("r2", false, false);
        assertThat(applied()).containsExactly("r2");
        assertThatThrownBy(() -> engine().upgrade("+5", false, false)).hasMessageContaining("only 1 are pending");
        assertThatThrownBy(() -> engine().upgrade("zzzz", false, false)).hasMessageContaining("unknown revision zzzz");
    }

    @Test
    void failingRevisionInTheMiddleLeavesEarlierOnesAppliedAndItselfAbsent() throws Exception {
        revision(dir, "r1", "", "CREATE TABLE a (id int);", null);
        revision(dir, "r2", "r1", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b\n  VALUES ('not a number');", null);
        revision(dir, "r3", "r2", "CREATE TABLE c (id int);", null);
        assertThatThrownBy(() -> engine().upgrade("head", false, false))
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                    assertThat(e.revision()).isEqualTo("r2");
                    assertThat(e.location()).endsWith("r2.sql:8"); // the line of the bad value, not of INSERT
                    assertThat(e.sqlState()).isEqualTo("22P02");
                    assertThat(e.getMessage()).contains("invalid input syntax").contains("r2 was rolled back")
                            .contains("full log: " + e.logFile());
                    assertThat(e.logFile()).exists();
                    try {
                        assertThat(Files.readString(e.logFile())).contains("FAILED").contains("r2.sql:8");
                        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(e.logFile()))).isEqualTo("rw-------");
                    } catch (IOException io) {
                        throw new AssertionError(io);
                    }
                });
        assertThat(applied()).containsExactly("r1");
        assertThat(db.tableExists("a")).isTrue();
        assertThat(db.tableExists("b")).isFalse();
        assertThat(db.tableExists("c")).isFalse();
        assertThat(db.column("SELECT revision FROM baton_history")).containsExactly("r1");
    }

    @Test
    void executionMsIsEachRevisionsOwnServerTimeInEveryWayOfRunning() {
        // pipelined in its own transaction (r1), outside a transaction (r2), and in one transaction
        // for several (r3, r4): r4's time must not count from the transaction's start
        revision(dir, "r1", "", "SELECT pg_sleep(0.2);\nCREATE TABLE a (id int);", null);
        revision(dir, "r2", "r1", "-- baton:transactional false\nSELECT pg_sleep(0.2);", null);
        engine().upgrade("head", false, false);
        revision(dir, "r3", "r2", "SELECT pg_sleep(0.3);", null);
        revision(dir, "r4", "r3", "CREATE TABLE b (id int);", null);
        engine().upgrade("head", true, false);
        List<String> ms = db.column("SELECT execution_ms FROM baton_history WHERE direction <> 'started' ORDER BY id");
        assertThat(ms).hasSize(4);
        assertThat(Long.parseLong(ms.get(0))).isBetween(200L, 5000L);
        assertThat(Long.parseLong(ms.get(1))).isBetween(200L, 5000L);
        assertThat(Long.parseLong(ms.get(2))).isBetween(300L, 5000L);
        assertThat(Long.parseLong(ms.get(3))).as("r4's own time, not counted from r3's start").isLessThan(300L);
    }

    @Test
    void statementsThatReturnRowsMixWithPipelinedOnesAndTimesAreRecorded() {
        revision(dir, "r1", "", "CREATE TABLE a (id int);\nSELECT pg_sleep(0.05);\nINSERT INTO a VALUES (1);\n"
                + "INSERT INTO a VALUES (2) RETURNING id;\nINSERT INTO a\n  VALUES ('not a number');", null);
        assertThatThrownBy(() -> engine().upgrade("head", false, false))
                .isInstanceOfSatisfying(MigrationFailedException.class, e -> assertThat(e.location()).endsWith("r1.sql:10"));
        assertThat(db.tableExists("a")).isFalse();
        revision(dir, "r1", "", "CREATE TABLE a (id int);\nSELECT pg_sleep(0.05);\nINSERT INTO a VALUES (1);\n"
                + "INSERT INTO a VALUES (2) RETURNING id;", null);
        engine().upgrade("head", false, false);
        assertThat(db.column("SELECT id FROM a ORDER BY id")).containsExactly("1", "2");
        assertThat(Long.parseLong(db.column("SELECT execution_ms FROM baton_history").get(0))).isGreaterThanOrEqualTo(50);
    }

    @Test
    void singleTransactionFailureAppliesNothing() {
        revision(dir, "r1", "", "CREATE TABLE a (id int);", null);
        revision(dir, "r2", "r1", "SELECT 1/0;", null);
        assertThatThrownBy(() -> engine().upgrade("head", true, false))
                .hasMessageContaining("no revision of this run was applied");
        assertThat(applied()).isEmpty();
        assertThat(db.tableExists("a")).isFalse();
        engine().upgrade("r1", true, false);
        assertThat(applied()).containsExactly("r1");
    }

    @Test
    void downgradeByRevisionStepsAndBase() {
        linear();
        engine().upgrade("head", false, false);
        engine().downgrade("-1");
        assertThat(applied()).containsExactly("r2");
        assertThat(db.tableExists("orders")).isFalse();
        engine().upgrade("head", false, false);
        engine().downgrade("r1");
        assertThat(applied()).containsExactly("r1");
        assertThat(db.column("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"))
                .containsExactly("0");
        engine().downgrade("base");
        assertThat(applied()).isEmpty();
        assertThat(db.tableExists("users")).isFalse();
        assertThat(db.column("SELECT direction FROM baton_history ORDER BY id DESC LIMIT 1")).containsExactly("downgrade");
    }

    @Test
    void irreversibleRevisionStopsDowngradeBeforeAnythingRuns() {
        revision(dir, "r1", "", "CREATE TABLE a (id int);", "DROP TABLE a;");
        revision(dir, "r2", "r1", "CREATE TABLE b (id int);", null);
        engine().upgrade("head", false, false);
        assertThatThrownBy(() -> engine().downgrade("base")).isInstanceOf(BatonException.class)
                .hasMessageContaining("r2").hasMessageContaining("no down migration");
        assertThat(applied()).containsExactly("r2");
        assertThat(db.tableExists("a")).isTrue();
    }

    @Test
    void aDownSectionLeftEmptyAsTheNewTemplateSaysIsNoDownAndStopsADowngradeBeforeAnythingRuns() throws Exception {
        revision(dir, "r1", "", "CREATE TABLE a (id int);", "DROP TABLE a;");
        engine().upgrade("head", false, false);
        // as `baton migrate new` writes it, with the upgrade filled in and the down left empty ("cannot be undone")
        Path written = engine().newRevision("add b", false);
        String text = Files2Read.read(written);
        write(written, text.replace("-- transactional to false for statements such as CREATE INDEX CONCURRENTLY.\n",
                "-- transactional to false for statements such as CREATE INDEX CONCURRENTLY.\nCREATE TABLE b (id int);\n"));
        engine().upgrade("head", false, false);
        assertThat(db.tableExists("b")).isTrue();

        // before: the empty section ran as a downgrade that did nothing, and b was left behind a schema said to be at r1
        assertThatThrownBy(() -> engine().downgrade("r1"))
                .isInstanceOfSatisfying(NoDownMigrationException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.revision()).isEqualTo(written.getFileName().toString().substring(0, 12));
                }).hasMessageContaining("has no down migration");
        assertThat(db.tableExists("b")).isTrue();
        assertThat(applied()).containsExactly(written.getFileName().toString().substring(0, 12));
    }

    @Test
    void branchesAndMergesUpgradeAndDowngrade() {
        revision(dir, "base1", "", "CREATE TABLE a (id int);", "DROP TABLE a;");
        revision(dir, "left", "base1", "CREATE TABLE l (id int);", "DROP TABLE l;");
        revision(dir, "right", "base1", "CREATE TABLE r (id int);", "DROP TABLE r;");
        assertThatThrownBy(() -> engine().upgrade("head", false, false)).hasMessageContaining("2 heads")
                .hasMessageContaining("--merge");
        assertThat(db.column("SELECT to_regclass('baton_history') IS NULL")).containsExactly("t");

        engine().upgrade("left", false, false);
        assertThat(applied()).containsExactly("left");
        engine().upgrade("heads", false, false);
        assertThat(applied()).containsExactlyInAnyOrder("left", "right");

        Path merge = engine().newRevision("merge heads", true);
        String text = Files2Read.read(merge);
        assertThat(text).contains("-- baton:parents left right");
        String mergeId = merge.getFileName().toString().substring(0, 12);
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly(mergeId);

        engine().downgrade("left");
        assertThat(applied()).containsExactlyInAnyOrder("left", "right");
        engine().downgrade("base1");
        assertThat(applied()).containsExactly("base1");
        assertThat(db.tableExists("l")).isFalse();
        assertThat(db.tableExists("r")).isFalse();
        assertThat(db.tableExists("a")).isTrue();
    }

    @Test
    void stampRecordsWithoutRunning() {
        linear();
        engine().stamp("r2");
        assertThat(applied()).containsExactly("r2");
        assertThat(db.tableExists("users")).isFalse();
        assertThat(db.column("SELECT revision || ':' || direction FROM baton_history ORDER BY id"))
                .containsExactly("r1:stamp", "r2:stamp");
        engine().stamp("r1");
        assertThat(applied()).containsExactly("r1");
        engine().stamp("base");
        assertThat(applied()).isEmpty();
    }

    @Test
    void changedAppliedRevisionIsRefusedUnlessAllowedAndReportedByVerify() {
        linear();
        engine().upgrade("r2", false, false);
        assertThat(engine().verify(List.of("users")).ok()).isTrue();
        revision(dir, "r1", "", "CREATE TABLE users (id bigserial PRIMARY KEY, name text);", "DROP TABLE users;");
        VerifyReport report = engine().verify(List.of("users", "missing_table"));
        assertThat(report.problems()).hasSize(2);
        assertThat(report.problems().get(0)).contains("r1").contains("changed since it was applied");
        assertThat(report.problems().get(1)).contains("missing_table does not exist");
        assertThatThrownBy(() -> engine().upgrade("head", false, false))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE))
                .hasMessageContaining("r1").hasMessageContaining("--allow-changed");
        assertThat(applied()).containsExactly("r2");
        engine().upgrade("head", false, true);
        assertThat(applied()).containsExactly("r3");
    }

    @Test
    void appliedRevisionMissingFromFolderIsRefused() throws Exception {
        linear();
        engine().upgrade("head", false, false);
        Files.delete(dir.resolve("r3.sql"));
        assertThatThrownBy(() -> engine().upgrade("head", false, false)).hasMessageContaining("[r3]")
                .hasMessageContaining("not in");
    }

    @Test
    void realWorldSqlRunsUnchanged() {
        revision(dir, "r1", "", String.join("\n",
                "-- comments; with semicolons",
                "CREATE TABLE notes (id serial PRIMARY KEY, body text, updated_at timestamptz);",
                "INSERT INTO notes (body) VALUES ('semi;colon'), ('it''s'), (E'tab\\there;');",
                "CREATE FUNCTION touch() RETURNS trigger AS $$",
                "BEGIN",
                "  NEW.updated_at := now(); -- inside body;",
                "  RETURN NEW;",
                "END;",
                "$$ LANGUAGE plpgsql;",
                "CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch();",
                "DO $do$",
                "BEGIN",
                "  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nobody_here') THEN",
                "    RAISE NOTICE 'no role; fine';",
                "  END IF;",
                "END",
                "$do$;",
                "CREATE FUNCTION add1(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; END;",
                "/* block comment; */ UPDATE notes SET body = body || '!' WHERE id = 1;"), null);
        engine().upgrade("head", false, false);
        assertThat(db.column("SELECT body FROM notes ORDER BY id")).containsExactly("semi;colon!", "it's", "tab\there;");
        assertThat(db.column("SELECT count(*) FROM notes WHERE updated_at IS NOT NULL")).containsExactly("1");
        assertThat(db.column("SELECT add1(41)")).containsExactly("42");
    }

    @Test
    void nonTransactionalStatementsNeedANonTransactionalRevision() {
        revision(dir, "r1", "", "CREATE TABLE t (x int);", null);
        revision(dir, "r2", "r1", "CREATE INDEX CONCURRENTLY t_x ON t (x);", null);
        assertThatThrownBy(() -> engine().upgrade("head", false, false))
                .hasMessageContaining("r2.sql:5").hasMessageContaining("transactional false");
        assertThat(db.tableExists("t")).isFalse();

        write(dir.resolve("r2.sql"), "-- baton:revision r2\n-- baton:parents r1\n-- baton:transactional false\n"
                + "CREATE INDEX CONCURRENTLY t_x ON t (x);\n");
        assertThatThrownBy(() -> engine().upgrade("head", true, false)).hasMessageContaining("--single-transaction");
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("r2");
        assertThat(db.tableExists("t_x")).isTrue();
        assertThat(notes).anyMatch(n -> n.contains("r2 runs outside Baton's transaction"));
    }

    @Test
    void transactionControlInsideATransactionalRevisionIsRefused() {
        revision(dir, "r1", "", "BEGIN;\nCREATE TABLE t (x int);\nCOMMIT;", null);
        assertThatThrownBy(() -> engine().upgrade("head", false, false)).hasMessageContaining("r1.sql:5")
                .hasMessageContaining("BEGIN controls the transaction");
    }

    @Test
    void lockHeldByAnotherSessionTimesOutNamingTheHolder() throws Exception {
        linear();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("SET application_name = 'the-other-migrator'");
            st.execute("SELECT pg_advisory_lock(" + MigrationLock.keyFor("baton_history") + ")");
            MigrationEngine e = new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp)
                    .withLockTimeout(Duration.ofMillis(300)), MigrationListener.NONE);
            assertThatThrownBy(() -> e.upgrade("head", false, false))
                    .isInstanceOfSatisfying(BatonException.class, ex -> assertThat(ex.exitCode()).isEqualTo(ExitCode.STATE))
                    .hasMessageContaining("the-other-migrator").hasMessageContaining("pid ");
            assertThat(db.tableExists("users")).isFalse();
        }
        engine().upgrade("head", false, false);
        assertThat(applied()).containsExactly("r3");
    }

    @Test
    void aMigratorWaitingForTheLockDoesNotStallAConcurrentIndexBuildOfTheOneRunning() throws Exception {
        revision(dir, "r1", "", "CREATE TABLE events (id int, kind text);\nINSERT INTO events SELECT g, 'k' FROM generate_series(1, 1000) g;", null);
        write(dir.resolve("r2.sql"), "-- baton:revision r2\n-- baton:parents r1\n-- baton:transactional false\n"
                + "SELECT pg_sleep(0.5);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind ON events (kind);\n");
        MigrateSettings s = MigrateSettings.of(db.url(), dir).withLogDir(tmp).withLockTimeout(Duration.ofSeconds(30));
        var first = CompletableFuture.supplyAsync(() -> new MigrationEngine(s, MigrationListener.NONE)
                .upgrade("head", false, false));
        Await.until(() -> db.column("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(0.5)%'"
                + " AND state = 'active' AND datname = current_database()").get(0).equals("1"), "the first migrator in r2");
        // the second waits for the migration lock while the first builds its index CONCURRENTLY, which waits for
        // every transaction that holds an older snapshot: a waiter that holds one would stall it (Flyway's hang)
        var second = CompletableFuture.supplyAsync(() -> new MigrationEngine(s, MigrationListener.NONE)
                .upgrade("head", false, false));
        long started = System.nanoTime();
        RunReport done = first.get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the index build waited for nobody")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(done.steps()).hasSize(2);
        assertThat(second.get(20, TimeUnit.SECONDS).steps()).isEmpty();
        assertThat(db.column("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind'::regclass")).containsExactly("t");
    }

    @Test
    void sqlPrintsExactlyWhatUpgradeRuns() throws Exception {
        linear();
        engine().upgrade("r1", false, false);
        String script = engine().sql("head", null);
        assertThat(script).contains("ALTER TABLE users ADD COLUMN email text;").contains("CREATE TABLE orders")
                .doesNotContain("CREATE TABLE users").contains("INSERT INTO \"baton_history\"");
        assertThat(db.tableExists("orders")).isFalse();
        // the script, run as is, brings the database to the same state as upgrade
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (SqlStatement s : SqlSplitter.split(script, "script", 1)) {
                st.execute(s.sql());
            }
        }
        assertThat(applied()).containsExactly("r3");
        assertThat(engine().upgrade("head", false, false).steps()).isEmpty();
        String offline = engine().sql("r2", "base");
        assertThat(offline).contains("CREATE TABLE IF NOT EXISTS").contains("CREATE TABLE users").doesNotContain("orders");
    }

    @Test
    void javaMigrationsJoinTheGraph() throws Exception {
        revision(dir, "r1", "", "CREATE TABLE kv (k text, v text);", null);
        Path services = tmp.resolve("cp/META-INF/services/dev.baton.migrate.JavaMigration");
        write(services, SeedKv.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("cp").toUri().toURL()}, getClass().getClassLoader())) {
            MigrationEngine e = new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp).withJavaMigrations(loader),
                    MigrationListener.NONE);
            assertThat(e.heads()).extracting(Revision::id).containsExactly("j1");
            e.upgrade("head", false, false);
            assertThat(db.column("SELECT v FROM kv")).containsExactly("from java");
            new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp).withJavaMigrations(loader),
                    MigrationListener.NONE).downgrade("r1");
            assertThat(db.column("SELECT count(*) FROM kv")).containsExactly("0");
        }
    }

    /** A Java migration found through ServiceLoader in {@link #javaMigrationsJoinTheGraph}. */
    public static final class SeedKv implements JavaMigration {
        @Override
        public String revision() {
            return "j1";
        }

        @Override
        public List<String> parents() {
            return List.of("r1");
        }

        @Override
        public String message() {
            return "seed kv";
        }

        @Override
        public void up(Connection c) throws Exception {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO kv VALUES ('source', 'from java')");
            }
        }

        @Override
        public void down(Connection c) throws Exception {
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM kv");
            }
        }

        @Override
        public boolean reversible() {
            return true;
        }
    }

    /** Reads a file in an assertion. */
    static final class Files2Read {
        static String read(Path p) {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
