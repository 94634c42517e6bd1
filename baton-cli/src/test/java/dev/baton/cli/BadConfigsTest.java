package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code src/test/resources/bad-configs}: a baton.yml that must be refused when it
 * is read, with the exit code and the messages its {@code .expect} file names, and never a stack
 * trace (see the folder's README to add a case).
 */
class BadConfigsTest {
    @TempDir
    Path work;

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(BadConfigsTest.class.getResource("/bad-configs").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWhenRead(String name) throws Exception {
        Path dir = Path.of(BadConfigsTest.class.getResource("/bad-configs").toURI());
        Files.copy(dir.resolve(name + ".yml"), work.resolve("baton.yml"));
        List<String> expect = Files.readAllLines(dir.resolve(name + ".expect"), StandardCharsets.UTF_8);

        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "status", "--config", "baton.yml");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(Integer.parseInt(expect.get(0).strip()));
        for (String text : expect.subList(1, expect.size())) {
            assertThat(r.err()).contains(text);
        }
        assertThat(r.err()).doesNotContain("\tat ", "Exception:", "Error:");
    }

    @Test
    void aConfigThatIsAFolderIsNamedAsSuch() throws Exception {
        Files.createDirectories(work.resolve("conf"));
        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "status", "--config", "conf");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("conf is a folder; pass the baton.yml in it, e.g. --config").doesNotContain("\tat ");
    }
}
