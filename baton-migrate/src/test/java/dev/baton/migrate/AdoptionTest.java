package dev.baton.migrate;

import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton migrate adopt} on databases other tools migrated: the real Flyway, and the others' tables as they write them. */
class AdoptionTest {
    @TempDir
    Path tmp;

    TestDatabase db;
    Path dir;

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
        return new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")), new MigrationListener() { });
    }

    void refusedWith(String... parts) {
        assertThatThrownBy(() -> engine().adopt(null)).isInstanceOfSatisfying(BatonException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE)).hasMessageContaining("not adopted")
                .hasMessageContainingAll(parts);
        assertThat(db.column("SELECT count(*) FROM baton_history")).containsExactly("0");
    }

    @Test
    void aDatabaseTheRealFlywayMigratedIsAdoptedAndOnlyNewFilesRunAfter() throws Exception {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int PRIMARY KEY, email text);\r\n\r\nINSERT INTO users VALUES (1, 'a@x');\n");
        write(dir.resolve("V1.1__orders.sql"), "\uFEFFCREATE TABLE orders (id int, user_id int);");
        write(dir.resolve("R__user_emails.sql"), "CREATE OR REPLACE VIEW user_emails AS SELECT email FROM users;");
        Flyway.configure().dataSource(db.jdbcUrl(), null, null).locations("filesystem:" + dir).load().migrate();
        long flywayRows = Long.parseLong(db.column("SELECT count(*) FROM flyway_schema_history").get(0));

        write(dir.resolve("V2__orders_total.sql"), "ALTER TABLE orders ADD COLUMN total int;");
        write(dir.resolve("V3__users_name.sql"), "ALTER TABLE users ADD COLUMN name text;");
        assertThat(engine().status().otherTools()).containsExactly("Flyway (flyway_schema_history, " + flywayRows + " rows)");
        AdoptReport r = engine().adopt(null);
        assertThat(r.tool()).isEqualTo("Flyway");
        assertThat(r.adopted()).containsExactly("1", "1.1", "R__user_emails");
        assertThat(r.pending()).extracting(Revision::id).containsExactly("2", "3");
        assertThat(db.column("SELECT DISTINCT direction FROM baton_history")).containsExactly("adopted");

        RunReport up = engine().upgrade("head", false, false);
        assertThat(up.steps()).extracting(s -> s.revision().id()).containsExactly("2", "3");
        assertThat(db.column("SELECT count(*) FROM users")).containsExactly("1"); // V1 did not run again
        assertThat(db.column("SELECT count(*) FROM flyway_schema_history")).containsExactly(Long.toString(flywayRows));
        assertThat(engine().upgrade("head", false, false).steps()).isEmpty();
        assertThat(engine().verify(List.of("users", "orders")).ok()).isTrue();
        // once adopted, a file edited afterwards is a changed applied revision like any other
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, email text);");
        assertThat(engine().verify(List.of()).problems()).singleElement().asString().contains("V1__users.sql");
        // and adopting twice is refused
        assertThatThrownBy(() -> engine().adopt(null)).hasMessageContaining("Baton already records");
    }

    @Test
    void flywayHistoriesThatDoNotMatchTheFolderAreRefused() throws Exception {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("V2__orders.sql"), "CREATE TABLE orders (id int);");
        Flyway.configure().dataSource(db.jdbcUrl(), null, null).locations("filesystem:" + dir).load().migrate();
        write(dir.resolve("V2__orders.sql"), "CREATE TABLE orders (id bigint);");
        refusedWith("V2__orders.sql is not what Flyway applied as version 2");

        write(dir.resolve("V2__orders.sql"), "CREATE TABLE orders (id int);");
        Files.delete(dir.resolve("V1__users.sql"));
        refusedWith("Flyway applied version 1 (V1__users.sql), which no file of the folder is");

        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);");
        db.execute("UPDATE flyway_schema_history SET success = false WHERE version = '2'");
        refusedWith("Flyway recorded V2__orders.sql as failed");
    }

    @Test
    void aFlywayBaselineAdoptsTheFilesUpToIt() throws Exception {
        write(dir.resolve("V1__users.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("V2__orders.sql"), "CREATE TABLE orders (id int);");
        write(dir.resolve("V3__items.sql"), "CREATE TABLE items (id int);");
        db.execute("CREATE TABLE users (id int); CREATE TABLE orders (id int)");
        Flyway.configure().dataSource(db.jdbcUrl(), null, null).locations("filesystem:" + dir).baselineVersion("2")
                .load().baseline();
        AdoptReport r = engine().adopt(null);
        assertThat(r.adopted()).containsExactly("1", "2");
        assertThat(r.notes()).anyMatch(n -> n.contains("baseline at version 2"));
        assertThat(engine().upgrade("head", false, false).steps()).extracting(s -> s.revision().id()).containsExactly("3");
    }

    @Test
    void golangMigrateIsAdoptedUpToItsVersionAndADirtyDatabaseIsRefused() throws Exception {
        write(dir.resolve("1_users.up.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("2_orders.up.sql"), "CREATE TABLE orders (id int);");
        write(dir.resolve("3_items.up.sql"), "CREATE TABLE items (id int);");
        // golang-migrate's postgres driver: one row, the version it is at, and whether it failed half-way
        db.execute("CREATE TABLE users (id int); CREATE TABLE orders (id int);"
                + " CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + " INSERT INTO schema_migrations VALUES (2, true)");
        refusedWith("golang-migrate left version 2 dirty", "migrate force 2");
        db.execute("UPDATE schema_migrations SET dirty = false");
        assertThat(engine().adopt(null).adopted()).containsExactly("1", "2");
        assertThat(engine().upgrade("head", false, false).steps()).extracting(s -> s.revision().id()).containsExactly("3");
    }

    @Test
    void dieselIsAdoptedByItsVersionsAndAnUnknownOneIsRefused() throws Exception {
        write(dir.resolve("2017-09-23-182408_users/up.sql"), "CREATE TABLE users (id int);");
        write(dir.resolve("2017-09-24-000000_orders/up.sql"), "CREATE TABLE orders (id int);");
        // diesel's table: the version without dashes
        db.execute("CREATE TABLE users (id int); CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY"
                + " NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);"
                + " INSERT INTO __diesel_schema_migrations (version) VALUES ('20170923182408'), ('20990101000000')");
        refusedWith("diesel applied version 20990101000000");
        db.execute("DELETE FROM __diesel_schema_migrations WHERE version = '20990101000000'");
        assertThat(engine().adopt(null).adopted()).containsExactly("2017-09-23-182408");
        assertThat(engine().upgrade("head", false, false).steps()).extracting(s -> s.revision().id())
                .containsExactly("2017-09-24-000000");
    }

    @Test
    void sqlxIsAdoptedWhenItsSha384MatchesAndRefusedWhenDirtyOrEdited() throws Exception {
        String users = "-- users\r\nCREATE TABLE users (id int);\r\n";
        write(dir.resolve("20240101000000_users.sql"), users);
        write(dir.resolve("20240102000000_orders.sql"), "CREATE TABLE orders (id int);");
        db.execute("CREATE TABLE users (id int); CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY,"
                + " description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,"
                + " checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (?, 'users', ?, ?, 1)")) {
            ps.setLong(1, 20240101000000L);
            ps.setBoolean(2, false);
            ps.setBytes(3, MessageDigest.getInstance("SHA-384").digest(users.getBytes("UTF-8")));
            ps.execute();
        }
        refusedWith("sqlx recorded version 20240101000000 as not successful");
        db.execute("UPDATE _sqlx_migrations SET success = true");
        write(dir.resolve("20240101000000_users.sql"), users.replace("\r\n", "\n")); // sqlx hashes the bytes as they are
        refusedWith("20240101000000_users.sql is not what sqlx applied");
        write(dir.resolve("20240101000000_users.sql"), users);
        assertThat(engine().adopt(null).adopted()).containsExactly("20240101000000");
        assertThat(engine().upgrade("head", false, false).steps()).extracting(s -> s.revision().id()).containsExactly("20240102000000");
    }

    @Test
    void alembicsHeadIsMatchedToTheRevisionWithItsId() throws Exception {
        write(dir.resolve("1f3a9c0b7d21_users.sql"), "-- baton:revision 1f3a9c0b7d21\n-- baton:parents\nCREATE TABLE users (id int);\n");
        write(dir.resolve("622dbc22743e_orders.sql"), "-- baton:revision 622dbc22743e\n-- baton:parents 1f3a9c0b7d21\n"
                + "CREATE TABLE orders (id int);\n");
        db.execute("CREATE TABLE users (id int); CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
                + " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES ('1f3a9c0b7d21')");
        assertThat(engine().adopt(null).adopted()).containsExactly("1f3a9c0b7d21");
        assertThat(engine().upgrade("head", false, false).steps()).extracting(s -> s.revision().id()).containsExactly("622dbc22743e");
    }

    @Test
    void twoToolsHistoriesNeedFromAndNoneIsNothingToAdopt() throws Exception {
        write(dir.resolve("1_users.up.sql"), "CREATE TABLE users (id int);");
        assertThatThrownBy(() -> engine().adopt(null)).hasMessageContaining("nothing to adopt");
        db.execute("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                + " INSERT INTO schema_migrations VALUES (1, false); CREATE TABLE alembic_version (version_num VARCHAR(32));"
                + " INSERT INTO alembic_version VALUES ('abc')");
        assertThatThrownBy(() -> engine().adopt(null)).isInstanceOfSatisfying(BatonException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE)).hasMessageContaining("--from alembic|golang-migrate");
        assertThat(engine().adopt("golang-migrate").adopted()).containsExactly("1");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertThat(st.executeQuery("SELECT 1 FROM schema_migrations WHERE version = 1").next()).isTrue(); // left as it was
        }
    }
}
