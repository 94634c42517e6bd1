package dev.baton.deploy.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's newest record, as {@code baton status} reads it from the end of the file. */
class AuditLogTest {
    @TempDir
    Path dir;

    static String record(int n, String outcome) {
        return "{\"kind\":\"deploy\",\"release\":\"r" + n + "\",\"outcome\":\"" + outcome + "\",\"by\":\"ci@build-1\","
                + "\"error\":\"" + "x".repeat(200) + "\"}\n";
    }

    @Test
    void theNewestRecordIsReadFromTheEndSkippingATornLine() throws Exception {
        AuditLog log = new AuditLog(dir);
        assertThat(log.last()).isEmpty();

        Files.createDirectories(log.file().getParent());
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 2000; i++) { // about 500 KB: more than the tail it reads
            many.append(record(i, "succeeded"));
        }
        Files.writeString(log.file(), many + record(2001, "rolled_back"));
        assertThat(log.last()).hasValueSatisfying(r -> assertThat(r).containsEntry("release", "r2001")
                .containsEntry("outcome", "rolled_back"));

        Files.writeString(log.file(), "{\"kind\":\"deploy\",\"rel", StandardOpenOption.APPEND); // a crash mid-write
        assertThat(log.last()).hasValueSatisfying(r -> assertThat(r).containsEntry("release", "r2001"));
        assertThat(log.read()).hasSize(2001);
    }

    @Test
    void aLineThatIsNotUtf8SpoilsItselfNotTheHistory() throws Exception {
        AuditLog log = new AuditLog(dir);
        Files.createDirectories(log.file().getParent());
        Files.writeString(log.file(), record(1, "succeeded"));
        Files.write(log.file(), new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'}, StandardOpenOption.APPEND);
        Files.writeString(log.file(), record(2, "failed"), StandardOpenOption.APPEND);
        assertThat(log.read()).extracting(r -> r.get("release")).containsExactly("r1", "r2");
        assertThat(log.last()).hasValueSatisfying(r -> assertThat(r).containsEntry("release", "r2"));
    }
}
