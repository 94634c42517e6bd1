package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file that is not a regular file, or not the size of one: read or refused with exit 2, never a hang. */
class ConfigReadTest {
    @TempDir
    Path dir;

    @Test
    void aNamedPipeThatNothingWritesToIsRefusedAfterTheDeadline() throws Exception {
        Path fifo = fifo("baton.yml");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ConfigNode.load(fifo, Map.of(), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("config file " + fifo + " is not a regular file and gave no end of its data in 1 s (a named pipe"
                        + " that nothing writes to?); pass a baton.yml");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aPipeThatIsWrittenIsReadAsAProcessSubstitutionWouldBe() throws Exception {
        Path fifo = fifo("baton.yml");
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write("app: shop\n".getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThat(ConfigNode.load(fifo, Map.of(), Duration.ofSeconds(10)).get("app").orElseThrow().string()).isEqualTo("shop");
        writer.join();
    }

    @Test
    void aDeviceThatNeverEndsIsRefusedForItsSize() {
        assertThatThrownBy(() -> ConfigNode.load(Path.of("/dev/zero"), Map.of()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("config file /dev/zero holds more than 1 MiB; a baton.yml is a few KB of YAML text");
    }

    @Test
    void aRegularFileOverTheLimitIsRefusedBeforeItIsParsed() throws Exception {
        Path big = Files.write(dir.resolve("baton.yml"), ("# " + "x".repeat(ConfigNode.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ConfigNode.load(big, Map.of())).isInstanceOf(BatonException.class)
                .hasMessageContaining("holds more than 1 MiB");
        Path fits = Files.write(dir.resolve("fits.yml"), ("app: shop\n# " + "x".repeat(ConfigNode.MAX_BYTES - 20) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigNode.load(fits, Map.of()).get("app")).isPresent();
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return fifo;
    }
}
