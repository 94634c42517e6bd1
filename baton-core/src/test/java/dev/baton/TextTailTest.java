package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTailTest {
    @TempDir
    Path dir;

    @Test
    void theLastLinesOfALargeLogAreReadFromItsEndOnly() throws Exception {
        Path log = dir.resolve("api-blue.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) { // ~1.5 MB: far more than the tail read
            text.append("request ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertThat(TextTail.lines(log, 3)).containsExactly("request 99998", "request 99999", "request 100000");
        assertThat(TextTail.lines(log, Integer.MAX_VALUE)).as("whole lines only: the first of the tail may be cut")
                .hasSizeBetween(TextTail.BYTES / 14 - 1, TextTail.BYTES / 14).allMatch(l -> l.matches("request \\d+")).last().isEqualTo("request 100000");
    }

    @Test
    void bytesThatAreNotUtf8SpoilTheirCharacterNotTheRead() throws Exception {
        Path log = dir.resolve("api-green.log");
        Files.writeString(log, "starting\n");
        Files.write(log, new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'}, StandardOpenOption.APPEND); // Latin-1 output
        Files.writeString(log, "Exception in thread main\n", StandardOpenOption.APPEND);
        assertThat(TextTail.lines(log, 10)).containsExactly("starting", "caf\uFFFD", "Exception in thread main");
    }
}
