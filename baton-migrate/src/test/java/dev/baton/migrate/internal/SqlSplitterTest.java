package dev.baton.migrate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {
    private static List<SqlStatement> split(String sql) {
        return SqlSplitter.split(sql, "f.sql", 1);
    }

    @Test
    void splitsAtTopLevelSemicolonsAndKeepsStartLines() {
        List<SqlStatement> s = split("-- header\nCREATE TABLE a (id int);\n\nINSERT INTO a VALUES (1);\nSELECT 1");
        assertThat(s).extracting(SqlStatement::sql)
                .containsExactly("CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)", "SELECT 1");
        assertThat(s).extracting(SqlStatement::line).containsExactly(2, 4, 5);
    }

    @Test
    void semicolonsInsideStringsCommentsAndIdentifiersDoNotSplit() {
        List<SqlStatement> s = split("INSERT INTO t VALUES ('a;b', 'it''s; fine');\n"
                + "/* block; /* nested; */ still; */ SELECT \"odd;name\" FROM t;\n"
                + "SELECT E'back\\'slash;';\n"
                + "SELECT 1 -- trailing; comment\n;");
        assertThat(s).hasSize(4);
        assertThat(s.get(0).sql()).isEqualTo("INSERT INTO t VALUES ('a;b', 'it''s; fine')");
        assertThat(s.get(1).sql()).startsWith("SELECT \"odd;name\"");
        assertThat(s.get(2).sql()).isEqualTo("SELECT E'back\\'slash;'");
    }

    @Test
    void dollarQuotedBodiesAndDoBlocksStayWhole() {
        String fn = "CREATE FUNCTION f() RETURNS trigger AS $fn$\nBEGIN\n  NEW.x := 1;\n  RETURN NEW;\nEND;\n$fn$ LANGUAGE plpgsql";
        String doBlock = "DO $$\nBEGIN\n  RAISE NOTICE 'a;b';\nEND\n$$";
        List<SqlStatement> s = split(fn + ";\n" + doBlock + ";\nSELECT $1, a$b$c FROM t;");
        assertThat(s).extracting(SqlStatement::sql).containsExactly(fn, doBlock, "SELECT $1, a$b$c FROM t");
        assertThat(s.get(1).line()).isEqualTo(7);
        assertThat(s.get(2).line()).isEqualTo(12);
    }

    @Test
    void sqlStandardFunctionBodiesStayWhole() {
        String fn = "CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND";
        assertThat(split(fn + ";\nSELECT 3;")).extracting(SqlStatement::sql).containsExactly(fn, "SELECT 3");
    }

    @Test
    void psqlMetaCommandsAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> split("SELECT 1;\n\\i other.sql\n"))
                .isInstanceOf(BatonException.class)
                .hasMessageContaining("f.sql:2")
                .hasMessageContaining("\\i other.sql");
        assertThatThrownBy(() -> split("  \\set ON_ERROR_STOP on\n")).hasMessageContaining("f.sql:1");
    }

    @Test
    void unterminatedQuotesAreErrorsNamingTheLine() {
        assertThatThrownBy(() -> split("SELECT 1;\nSELECT 'oops;\n")).hasMessageContaining("f.sql:2").hasMessageContaining("never closed");
        assertThatThrownBy(() -> split("DO $$ BEGIN END")).hasMessageContaining("$$");
        assertThatThrownBy(() -> split("/* open")).hasMessageContaining("*/");
    }

    @Test
    void emptyStatementsAndCommentOnlyTextYieldNothing() {
        assertThat(split(";;\n-- only a comment\n/* and this */\n")).isEmpty();
    }

    @Test
    void backslashInsideAStringIsNotAMetaCommand() {
        assertThat(split("SELECT '\n\\not meta';")).hasSize(1);
    }
}
