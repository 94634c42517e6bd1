package dev.baton.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void aPasswordMayHoldSlashesAtSignsAndColonsAsTheyAre() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://app:ab/c@d:e@db.internal:6432/shop?sslmode=require", null, null);
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/shop?sslmode=require");
        assertThat(u.user()).isEqualTo("app");
        assertThat(u.password()).isEqualTo("ab/c@d:e");
    }

    @Test
    void percentEncodingIsHonouredAndAPlusIsAPlus() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://us%40er:p%3Fa+ss%25@[::1]/my%20db", null, null);
        assertThat(u.user()).isEqualTo("us@er");
        assertThat(u.password()).isEqualTo("p?a+ss%");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]/my%20db");
    }

    @Test
    void aUrlWithoutADatabaseIsRefusedRatherThanUsingTheUsersDatabase() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://postgres:secret@127.0.0.1:5432/", null, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("names no database").hasMessageNotContaining("secret");
    }

    @Test
    void badPortsAndHostsAreUsageErrorsThatNeverShowThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:SECRET/x@127.0.0.1:99999/db", null, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("port \"99999\" is not a port").hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:SECRET@@/db", null, null))
                .hasMessageContaining("has no valid host").hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:SE%ZZ@h/db", null, null))
                .hasMessageContaining("a % that is not followed by two hex digits").hasMessageNotContaining("SE%ZZ");
    }

    @Test
    void parametersTheDriverWouldRefuseOnlyWhenItConnectsAreUsageErrorsNamingTheValuesToWrite() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:SECRET@db.internal/shop?sslmode=required", null, null))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("sslmode=required is not a mode; write one of disable, allow, prefer, require, verify-ca, verify-full")
                .hasMessageNotContaining("SECRET");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://db.internal/shop?password=SECRET&connectTimeout=10s", null, null))
                .hasMessageContaining("connectTimeout=10s is not a number of seconds; write e.g. connectTimeout=10")
                .hasMessageNotContaining("SECRET");
        assertThat(DatabaseUrl.parse("postgres://u@db.internal/shop?sslmode=verify-full&connectTimeout=5", null, null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.internal/shop?sslmode=verify-full&connectTimeout=5");
    }

    @Test
    void whyASessionCouldNotOpenSaysWhatToDoForTheUsualCausesOnARealServer() throws Exception {
        DatabaseUrl server = DatabaseUrl.parse(TestDatabase.ADMIN_URL, null, null);
        DatabaseUrl missing = server.withDatabase("baton_no_such_db_" + ProcessHandle.current().pid());
        assertThat(whyNot(missing)).contains("does not exist", "create it (CREATE DATABASE " + missing.database());
        String j = server.jdbcUrl();
        DatabaseUrl stranger = new DatabaseUrl(j.contains("user=") ? j.replaceFirst("user=[^&]*", "user=baton_no_such_role")
                : j + (j.contains("?") ? "&" : "?") + "user=baton_no_such_role", "baton_no_such_role", null);
        assertThat(whyNot(stranger)).contains("the server refused this login: check the user and password");
        DatabaseUrl nobody = DatabaseUrl.parse("postgres://postgres@127.0.0.1:1/x", null, null);
        assertThat(whyNot(nobody)).as("refused: pgjdbc's own words say what to check, once").contains("Check that the hostname and port")
                .doesNotContain("no PostgreSQL answered there", "OTHERWISE");
    }

    @Test
    void anotherKindOfServerOnThePortIsNamedAsSuch() throws Exception {
        // as a MySQL/MariaDB or HTTP server on the port written in the URL: it answers, but not as PostgreSQL
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = other.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    s.getInputStream().readAllBytes(); // until the client gives up
                } catch (IOException e) {
                    // the client closed first
                }
            });
            answer.start();
            String why = whyNot(DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + other.getLocalPort() + "/x", null, null));
            assertThat(why).contains("something answers there, but not as PostgreSQL does").contains("check the host and port")
                    .doesNotContain("OTHERWISE");
            answer.join(10_000);
        }
    }

    private static String whyNot(DatabaseUrl url) {
        try (var c = url.open("baton test")) {
            throw new AssertionError("opened " + url.display());
        } catch (SQLException e) {
            return url.whyNot(e, "OTHERWISE");
        }
    }
}
