package dev.baton.migrate.internal;

import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.Change;
import dev.baton.migrate.Direction;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevisionLoaderTest {
    @TempDir
    Path dir;

    @Test
    void batonLayoutReadsHeaderAndDownSection() {
        write(dir.resolve("a.sql"), "-- baton:revision aaa\n-- baton:parents\n-- baton:message first one\n"
                + "-- baton:transactional false\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- baton:down\nDROP INDEX i;\n");
        RevisionLoader.Loaded loaded = RevisionLoader.load(dir, Layout.AUTO, null);
        assertThat(loaded.layout()).isEqualTo(Layout.BATON);
        Revision r = loaded.revisions().get(0);
        assertThat(r.id()).isEqualTo("aaa");
        assertThat(r.parents()).isEmpty();
        assertThat(r.message()).isEqualTo("first one");
        assertThat(r.transactional()).isFalse();
        assertThat(r.down()).isNotNull();
        assertThat(r.checksum()).hasSize(64);
    }

    @Test
    void batonHeaderErrorsNameFileAndLine() {
        write(dir.resolve("a.sql"), "-- baton:revision aaa\n-- baton:parents\n-- baton:colour blue\n");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .hasMessageContaining("a.sql:3").hasMessageContaining("unknown header");
    }

    @Test
    void sqlFileWithoutHeaderInBatonFolderIsNamed() {
        write(dir.resolve("a.sql"), "-- baton:revision aaa\n-- baton:parents\n");
        write(dir.resolve("stray.sql"), "SELECT 1;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null)).hasMessageContaining("stray.sql");
    }

    @Test
    void flywayLayoutIsLinearByNumericVersion() {
        write(dir.resolve("V10__ten.sql"), "SELECT 10;");
        write(dir.resolve("V2__two.sql"), "SELECT 2;");
        write(dir.resolve("V1_1__one_one.sql"), "SELECT 11;");
        write(dir.resolve("U2__undo_two.sql"), "SELECT -2;");
        List<Revision> rs = RevisionLoader.load(dir, Layout.AUTO, null).revisions();
        assertThat(rs).extracting(Revision::id).containsExactly("1.1", "2", "10");
        assertThat(rs.get(1).parents()).containsExactly("1.1");
        assertThat(rs.get(1).down()).isNotNull();
        assertThat(rs.get(0).message()).isEqualTo("one one");
    }

    @Test
    void flywayReadsSubFoldersAsFlywayScansItsLocationsAndLeavesHiddenOnesOut() throws Exception {
        write(dir.resolve("V1__one.sql"), "SELECT 1;");
        write(dir.resolve("2024/V3__three.sql"), "SELECT 3;");
        write(dir.resolve("2024/q1/V2__two.sql"), "SELECT 2;");
        write(dir.resolve("2024/q1/U2__undo_two.sql"), "SELECT -2;");
        write(dir.resolve("V4__a_folder.sql/V5__five.sql"), "SELECT 5;"); // a folder, whatever its name: Flyway looks inside
        write(dir.resolve(".git/V9__not_a_migration.sql"), "SELECT 9;");
        write(dir.resolve("2024/README.md"), "notes");
        List<Revision> rs = RevisionLoader.load(dir, Layout.AUTO, null).revisions();
        assertThat(rs).extracting(Revision::id).containsExactly("1", "2", "3", "5");
        assertThat(rs.get(1).down()).as("the undo beside its version, in its sub-folder").isNotNull();
        assertThat(rs.get(2).parents()).containsExactly("2");

        write(dir.resolve("2025/V3__again.sql"), "SELECT 3;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null)).hasMessageContaining("duplicate revision id 3")
                .hasMessageContaining(dir.resolve("2024/V3__three.sql").toString()).hasMessageContaining(dir.resolve("2025/V3__again.sql").toString());
    }

    @Test
    void aFlywayCallbackIsRefusedRatherThanLeftOutSaying() {
        write(dir.resolve("V1__one.sql"), "SELECT 1;");
        write(dir.resolve("callbacks/afterMigrate__grants.sql"), "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(dir.resolve("callbacks/afterMigrate__grants.sql") + ": a Flyway callback (afterMigrate)")
                .hasMessageContaining("a repeatable migration (R__afterMigrate.sql");
        for (String name : List.of("beforeMigrate.sql", "afterEachMigrateError.sql", "beforeEachMigrateStatement.sql",
                "afterMigrateApplied.sql", "afterConnect.sql", "createSchema.sql")) {
            assertThat(FlywayLayout.CALLBACK.matcher(name).matches()).as(name).isTrue();
        }
        for (String name : List.of("afterwards.sql", "V2__afterMigrate.sql", "R__beforeMigrate.sql")) {
            assertThat(FlywayLayout.CALLBACK.matcher(name).matches()).as(name).isFalse();
        }
    }

    @Test
    void aFolderWhoseFlywayFilesAreAllInSubFoldersIsFlyways() {
        write(dir.resolve("2023/V1__one.sql"), "SELECT 1;");
        write(dir.resolve("2024/V2__two.sql"), "SELECT 2;");
        RevisionLoader.Loaded loaded = RevisionLoader.load(dir, Layout.AUTO, null);
        assertThat(loaded.layout()).as("not an empty Baton folder").isEqualTo(Layout.FLYWAY);
        assertThat(loaded.revisions()).extracting(Revision::id).containsExactly("1", "2");
    }

    @Test
    void aFileThatCannotBeReadSaysWhy() throws Exception {
        write(dir.resolve("V1__one.sql"), "SELECT 1;");
        Files.createSymbolicLink(dir.resolve("V2__gone.sql"), dir.resolve("nowhere.sql"));
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null)).hasMessageContaining("cannot read "
                + dir.resolve("V2__gone.sql") + ": no such file");
    }

    @Test
    void flywayVersionsAreNumbersOfAnyLengthAndOneEqualsOnePointZero() {
        write(dir.resolve("V20130115113556__timestamped.sql"), "SELECT 2;");
        write(dir.resolve("V2013.01.15__dotted.sql"), "SELECT 1;");
        assertThat(RevisionLoader.load(dir, Layout.AUTO, null).revisions()).extracting(Revision::id)
                .containsExactly("2013.01.15", "20130115113556");

        write(dir.resolve("V1__a.sql"), "SELECT 1;");
        write(dir.resolve("V1.0__b.sql"), "SELECT 1;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("is the same version as V1").hasMessageContaining("1, 1.0 and 001 are one version");
    }

    @Test
    void aNulByteInAMigrationIsRefusedWhenReadWithItsLine() {
        write(dir.resolve("V1__a.sql"), "SELECT 1;\nSELECT 'a\0b';\n");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .hasMessageContaining("V1__a.sql:2: a NUL byte");
    }

    @Test
    void aMigrationThatIsNotARegularFileIsRefusedInsteadOfRead() throws Exception {
        write(dir.resolve("V1__a.sql"), "SELECT 1;\n");
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("V2__pipe.sql").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.createSymbolicLink(dir.resolve("V3__zero.sql"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("V2__pipe.sql: not a regular file (a named pipe, a device or a socket)");
        Files.delete(dir.resolve("V2__pipe.sql"));
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null))
                .hasMessageContaining("V3__zero.sql: not a regular file");
    }

    @Test
    void golangMigrateLayoutPairsUpAndDown() {
        write(dir.resolve("1_create.up.sql"), "SELECT 1;");
        write(dir.resolve("1_create.down.sql"), "SELECT -1;");
        write(dir.resolve("2_more.up.sql"), "SELECT 2;");
        RevisionLoader.Loaded loaded = RevisionLoader.load(dir, Layout.AUTO, null);
        assertThat(loaded.layout()).isEqualTo(Layout.GOLANG_MIGRATE);
        assertThat(loaded.revisions()).extracting(Revision::id).containsExactly("1", "2");
        assertThat(loaded.revisions().get(1).down()).isNull();
    }

    @Test
    void folderLayoutReadsUpAndDownAndNoTransactionMarkers() {
        write(dir.resolve("2024-01-02-000000_second/up.sql"), "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t(x);");
        write(dir.resolve("2024-01-01-000000_first/up.sql"), "CREATE TABLE t (x int);");
        write(dir.resolve("2024-01-01-000000_first/down.sql"), "DROP TABLE t;");
        List<Revision> rs = RevisionLoader.load(dir, Layout.AUTO, null).revisions();
        assertThat(rs).extracting(Revision::id).containsExactly("2024-01-01-000000", "2024-01-02-000000");
        assertThat(rs.get(1).transactional()).isFalse();
        assertThat(rs.get(1).parents()).containsExactly("2024-01-01-000000");
    }

    @Test
    void dieselFoldersAreOrderedByDieselsVersionWhateverTheirNameStyle() {
        // diesel's version is the name before the first _ without its dashes, compared as text: before,
        // Baton sorted whole names, so "2017-..." ran before "20170101..." and the later one failed
        write(dir.resolve("2017-09-23-182408_add_emails_index/up.sql"), "CREATE INDEX ON emails (address);");
        write(dir.resolve("20170101000000_create_emails/up.sql"), "CREATE TABLE emails (address text);");
        write(dir.resolve("00000000000000_diesel_initial_setup/up.sql"), "SELECT 1;");
        write(dir.resolve(".hidden/up.sql"), "SELECT 2;"); // diesel skips dot folders, as Baton does
        List<Revision> rs = RevisionLoader.load(dir, Layout.FOLDERS, null).revisions();
        assertThat(rs).extracting(Revision::id).containsExactly("00000000000000", "20170101000000", "2017-09-23-182408");
        assertThat(new RevisionGraph(rs).requireSingleHead().id()).isEqualTo("2017-09-23-182408");

        write(dir.resolve("2017-01-01-000000_same_version/up.sql"), "SELECT 3;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.FOLDERS, null)).isInstanceOf(BatonException.class)
                .hasMessageContaining("are both version 20170101000000").hasMessageContaining("2017-01-01-000000_same_version")
                .hasMessageContaining("20170101000000_create_emails");
    }

    @Test
    void golangMigrateFilesWithTheirOwnTransactionRunAsWritten() {
        // golang-migrate runs a file as written: before, Baton refused these (13 of one real project's 124 files)
        write(dir.resolve("1_plain.up.sql"), "CREATE TABLE t (id int);");
        write(dir.resolve("2_wrapped.up.sql"), "BEGIN;\nALTER TABLE t ADD COLUMN x int;\nCOMMIT;\n");
        write(dir.resolve("3_index.up.sql"), "CREATE INDEX CONCURRENTLY t_x ON t (x);");
        write(dir.resolve("4_body.up.sql"), "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;");
        write(dir.resolve("5_down_wrapped.up.sql"), "SELECT 5;");
        write(dir.resolve("5_down_wrapped.down.sql"), "BEGIN; SELECT 5; COMMIT;");
        List<Revision> rs = RevisionLoader.load(dir, Layout.GOLANG_MIGRATE, null).revisions();
        assertThat(rs).extracting(Revision::transactional).containsExactly(true, false, false, true, false);
        assertThat(PlannedStep.of(rs.get(1), Direction.UPGRADE).statements()).hasSize(3);
    }

    @Test
    void flywayPlaceholdersAreReplacedByFlywaysRulesAndTheChecksumIsOfTheFileAsWritten() {
        write(dir.resolve("V1__users.sql"), "-- in ${schema}\nCREATE TABLE ${schema}.users (id int);\nCOMMENT ON TABLE ${schema}.users"
                + " IS 'from ${flyway:filename}';\n");
        Revision r = RevisionLoader.load(dir, Layout.AUTO, null, Map.of("schema", "app")).revisions().get(0);
        assertThat(((Change.Sql) r.up()).text()).isEqualTo("-- in app\nCREATE TABLE app.users (id int);\n"
                + "COMMENT ON TABLE app.users IS 'from V1__users.sql';\n");
        // another environment's value is not a change of the file
        assertThat(RevisionLoader.load(dir, Layout.AUTO, null, Map.of("schema", "staging")).revisions().get(0).checksum())
                .isEqualTo(r.checksum());
        // names match exactly, and one without a value is refused with its file and line
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null, Map.of("Schema", "app")))
                .isInstanceOf(BatonException.class).hasMessageContaining("V1__users.sql:1: no value for the Flyway placeholder ${schema}")
                .hasMessageContaining("FLYWAY_PLACEHOLDERS_SCHEMA");
    }

    @Test
    void placeholdersAreFlywaysAloneOtherLayoutsRunTheTextAsWritten() {
        write(dir.resolve("1_t.up.sql"), "SELECT '${not_a_placeholder}';");
        Revision r = RevisionLoader.load(dir, Layout.AUTO, null, Map.of()).revisions().get(0);
        assertThat(((Change.Sql) r.up()).text()).isEqualTo("SELECT '${not_a_placeholder}';");
    }

    @Test
    void sqlxFoldersAreReadBySqlxsRules() {
        // simple migrations, told from a Baton file by their name and lack of header
        write(dir.resolve("20240102000000_add_email.sql"), "-- no-transaction\nCREATE INDEX CONCURRENTLY u_e ON users (email);");
        write(dir.resolve("20240101000000_create_users.sql"), "CREATE TABLE users (id int, email text);");
        write(dir.resolve("README.md"), "ignored, as sqlx ignores it");
        RevisionLoader.Loaded simple = RevisionLoader.load(dir, Layout.AUTO, null);
        assertThat(simple.layout()).isEqualTo(Layout.SQLX);
        assertThat(simple.revisions()).extracting(Revision::id).containsExactly("20240101000000", "20240102000000");
        assertThat(simple.revisions()).extracting(Revision::message).containsExactly("create users", "add email");
        assertThat(simple.revisions()).extracting(Revision::transactional).containsExactly(true, false);
        assertThat(simple.revisions().get(0).down()).isNull();

        // reversible ones beside them, ordered by version as a number (9 before 10)
        write(dir.resolve("9_nine.up.sql"), "SELECT 9;");
        write(dir.resolve("9_nine.down.sql"), "SELECT -9;");
        write(dir.resolve("10_ten.sql"), "SELECT 10;");
        List<Revision> rs = RevisionLoader.load(dir, Layout.AUTO, null).revisions();
        assertThat(rs).extracting(Revision::id).containsExactly("9", "10", "20240101000000", "20240102000000");
        assertThat(rs.get(0).down()).isNotNull();

        write(dir.resolve("abc_bad.sql"), "SELECT 1;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.SQLX, null)).hasMessageContaining("\"abc\" is not a version");
    }

    @Test
    void theDownMarkerIsFoundHoweverItIsSpacedAndStandsAlone() {
        // the fuzzer's third finding: `--  baton:down` in the header threw IllegalStateException (exit 4)
        write(dir.resolve("a1_x.sql"), "-- baton:revision a1\n-- baton:parents\n--  baton:down\nDROP TABLE t;\n");
        Revision r = RevisionLoader.load(dir, Layout.AUTO, null).revisions().get(0);
        assertThat(((Change.Sql) r.down()).text()).isEqualTo("DROP TABLE t;\n");
        write(dir.resolve("a1_x.sql"), "-- baton:revision a1\n-- baton:parents\n-- baton:down DROP TABLE t;\n");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null)).isInstanceOf(BatonException.class)
                .hasMessageContaining("a1_x.sql:3: `-- baton:down` stands alone on its line");
    }

    @Test
    void dieselsMetadataTomlIsReadAsTomlNotAsText() {
        write(dir.resolve("1_a/up.sql"), "SELECT 1;");
        write(dir.resolve("1_a/metadata.toml"), "# run_in_transaction = false would be wrong here\nrun_in_transaction = true\n");
        write(dir.resolve("2_b/up.sql"), "SELECT 2;");
        write(dir.resolve("2_b/metadata.toml"), "run_in_transaction=false # as diesel writes it too\n");
        write(dir.resolve("3_c/up.sql"), "SELECT 3;");
        write(dir.resolve("3_c/metadata.toml"), "[other]\nname = \"x\"\n");
        assertThat(RevisionLoader.load(dir, Layout.FOLDERS, null).revisions()).extracting(Revision::transactional)
                .containsExactly(true, false, true);
        write(dir.resolve("3_c/metadata.toml"), "run_in_transaction = \"no\"\n");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.FOLDERS, null)).hasMessageContaining("metadata.toml:1: run_in_transaction is true or false");
    }

    @Test
    void flywaysScriptConfIsReadAsFlywayReadsIt() {
        write(dir.resolve("V1__a.sql"), "SELECT 1;");
        write(dir.resolve("V1__a.sql.conf"), "# executeInTransaction=false is only a comment here\n");
        write(dir.resolve("V2__b.sql"), "CREATE INDEX CONCURRENTLY i ON t (x);");
        write(dir.resolve("V2__b.sql.conf"), "executeInTransaction = false\n");
        assertThat(RevisionLoader.load(dir, Layout.FLYWAY, null).revisions()).extracting(Revision::transactional)
                .containsExactly(true, false);
    }

    @Test
    void mixedLayoutsAreRefused() {
        write(dir.resolve("V1__a.sql"), "SELECT 1;");
        write(dir.resolve("1_b.up.sql"), "SELECT 1;");
        assertThatThrownBy(() -> RevisionLoader.load(dir, Layout.AUTO, null)).hasMessageContaining("mixes layouts");
    }

    @Test
    void checksumIgnoresCommentsButNotStatements() {
        Path a = write(dir.resolve("a.sql"), "-- baton:revision a\n-- baton:parents\nCREATE TABLE t (x int);\n");
        String before = RevisionLoader.load(dir, Layout.AUTO, null).revisions().get(0).checksum();
        write(a, "-- baton:revision a\n-- baton:parents\n-- a new comment\n\nCREATE TABLE t (x int);\n");
        assertThat(RevisionLoader.load(dir, Layout.AUTO, null).revisions().get(0).checksum()).isEqualTo(before);
        write(a, "-- baton:revision a\n-- baton:parents\nCREATE TABLE t (x bigint);\n");
        assertThat(RevisionLoader.load(dir, Layout.AUTO, null).revisions().get(0).checksum()).isNotEqualTo(before);
    }

    @Test
    void missingFolderSaysWhatToDo() {
        assertThatThrownBy(() -> RevisionLoader.load(dir.resolve("nope"), Layout.AUTO, null))
                .hasMessageContaining("does not exist").hasMessageContaining("--dir");
    }
}
