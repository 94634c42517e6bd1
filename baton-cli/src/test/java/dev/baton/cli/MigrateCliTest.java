package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself, in process: help, usage errors, exit codes, files written by `new`. */
class MigrateCliTest {
    @TempDir
    Path work;

    record Run(int code, String out, String err) {}

    Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Baton.execute(new Cli(new PrintWriter(out, true), new PrintWriter(err, true), env, work), args);
        return new Run(code, out.toString(), err.toString());
    }

    Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void helpTeachesTheVerbsAndExitCodes() {
        Run help = run("migrate", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("upgrade", "downgrade", "stamp", "verify", "BATON_DATABASE_URL", "Quick start");
        assertThat(run("--help").out()).contains("Exit codes").contains("migrate");
        assertThat(run("migrate", "upgrade", "--help").out()).contains("--single-transaction").contains("+N");
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        Run unknown = run("migrate", "upgrad");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("upgrade");
        Run noDb = run("migrate", "current");
        assertThat(noDb.code()).isEqualTo(2);
        assertThat(noDb.err()).contains("no database given").contains("BATON_DATABASE_URL");
        Run badTimeout = run(Map.of("BATON_DATABASE_URL", "postgres://x@h/db"), "migrate", "upgrade", "--lock-timeout", "soon");
        assertThat(badTimeout.code()).isEqualTo(2);
        assertThat(badTimeout.err()).contains("--lock-timeout").contains("soon");
        Run badStatementTimeout = run(Map.of("BATON_DATABASE_URL", "postgres://x@h/db"), "migrate", "upgrade",
                "--statement-lock-timeout", "2 seconds");
        assertThat(badStatementTimeout.code()).isEqualTo(2);
        assertThat(badStatementTimeout.err()).contains("--statement-lock-timeout: expected a duration such as 30s", "2 seconds");
        for (String retries : new String[] {"-1", "101", "99999999999"}) { // the last: past an int, still the range
            Run badRetries = run(Map.of("BATON_DATABASE_URL", "postgres://x@h/db"), "migrate", "upgrade", "--lock-retries", retries);
            assertThat(badRetries.code()).isEqualTo(2);
            assertThat(badRetries.err()).contains("--lock-retries: expected a number from 0 to 100, got " + retries);
        }
        Run notANumber = run(Map.of("BATON_DATABASE_URL", "postgres://x@h/db"), "migrate", "upgrade", "--lock-retries", "x");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.err()).contains("'x' is not a whole number").doesNotContain("long");
        Run badUrl = run(Map.of("BATON_DATABASE_URL", "mysql://x@h/db"), "migrate", "current");
        assertThat(badUrl.code()).isEqualTo(2);
        assertThat(badUrl.err()).contains("not supported");
    }

    @Test
    void anotherToolsOptionNamesBatonsAndNeverEchoesAPassword() {
        Run golangMigrate = run("migrate", "upgrade", "-database", "postgres://u:hunter2@h/db", "-path", "db");
        assertThat(golangMigrate.code()).isEqualTo(2);
        assertThat(golangMigrate.err()).contains("Baton's name for -database is --url").doesNotContain("hunter2");
        Run sqlx = run("migrate", "status", "--source", "db/migrations");
        assertThat(sqlx.err()).contains("Baton's name for --source is --dir").contains("see: baton migrate status --help");
        Run flyway = run("migrate", "upgrade", "-url=jdbc:postgresql://h/db", "-password=hunter2");
        assertThat(flyway.code()).isEqualTo(2);
        assertThat(flyway.err()).contains("Baton's name for -url is --url").doesNotContain("hunter2");
        // a command without such an option gets picocli's own advice
        Run deploy = run("deploy", "--database", "x");
        assertThat(deploy.code()).isEqualTo(2);
        assertThat(deploy.err()).doesNotContain("Baton's name");
    }

    @Test
    void newWritesRevisionsOnTheHeadAndMergesHeads() throws Exception {
        Run first = run("migrate", "new", "Create users!");
        assertThat(first.code()).as(first.err()).isZero();
        Path f1 = work.resolve(first.out().strip());
        assertThat(f1.getFileName().toString()).matches("[0-9a-f]{12}_create_users\\.sql");
        String id1 = f1.getFileName().toString().substring(0, 12);
        Path f2 = work.resolve(run("migrate", "new", "add email").out().strip());
        assertThat(Files.readString(f2)).contains("-- baton:parents " + id1).contains("-- baton:down");
        // a second branch on the first revision: two heads
        String id2 = f2.getFileName().toString().substring(0, 12);
        Files.writeString(work.resolve("migrations/branch.sql"), "-- baton:revision bbbbbbbbbbbb\n-- baton:parents " + id1 + "\n");
        Run blocked = run("migrate", "new", "third");
        assertThat(blocked.code()).isEqualTo(2);
        assertThat(blocked.err()).contains("2 heads").contains("--merge");
        Path merge = work.resolve(run("migrate", "new", "--merge", "join").out().strip());
        assertThat(Files.readString(merge)).containsPattern("-- baton:parents (" + id2 + " bbbbbbbbbbbb|bbbbbbbbbbbb " + id2 + ")");
        Run heads = run("migrate", "heads");
        assertThat(heads.out()).contains(merge.getFileName().toString().substring(0, 12));
    }

    @Test
    void aMigrationsFolderThatIsAFileIsNamedAsOne() throws Exception {
        Files.writeString(work.resolve("migrations"), "a file\n");
        Run created = run("migrate", "new", "one");
        assertThat(created.code()).isEqualTo(2);
        assertThat(created.err().strip()).isEqualTo("error: cannot write a new revision in " + work.resolve("migrations") + ": "
                + work.resolve("migrations") + " is a file, not a folder");
        Run history = run("migrate", "history");
        assertThat(history.code()).isEqualTo(2);
        assertThat(history.err()).contains("migrations folder " + work.resolve("migrations") + " is not a folder; create it,");
    }

    @Test
    void historyWithoutADatabaseShowsTheFolder() throws Exception {
        run("migrate", "new", "one");
        Run history = run("migrate", "history");
        assertThat(history.code()).isZero();
        assertThat(history.out()).contains("<base> -> ").contains("(head), one");
    }

    @Test
    void sqlFromBaseNeedsNoDatabase() throws Exception {
        Path f = work.resolve(run("migrate", "new", "t").out().strip());
        Files.writeString(f, Files.readString(f).replace("-- baton:down", "CREATE TABLE t (x int);\n-- baton:down"));
        Run sql = run("migrate", "sql", "--from", "base");
        assertThat(sql.code()).as(sql.err()).isZero();
        // the history row's execution_ms counts from the mark, as when Baton runs the revision itself
        assertThat(sql.out()).containsPattern("BEGIN;\nDO \\$baton\\$ .*clock_timestamp.*; -- execution_ms counts from here\n"
                + "CREATE TABLE t \\(x int\\);\nINSERT INTO \"baton_history\".*current_setting\\('baton.revision_started'\\)")
                .contains("COMMIT;");
    }
}
