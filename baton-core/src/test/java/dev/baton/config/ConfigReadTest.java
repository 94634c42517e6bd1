package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file that is not a regular file, or not the size of one: refused with exit 2 at once, never a hang. */
class ConfigReadTest {
    @TempDir
    Path dir;

    @Test
    void aNamedPipeIsRefusedWithoutReadingIt() throws Exception {
        Path fifo = dir.resolve("baton.yml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        // read, it would block for ever: nothing writes to it
        assertThatThrownBy(() -> ConfigNode.load(fifo, Map.of()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("config file " + fifo + " is not a regular file (a named pipe, a device or a socket); Baton reads it"
                        + " again later (the router a deploy starts does): pass a baton.yml file");
    }

    @Test
    void aDeviceIsRefusedAndSoIsALinkToOneButTheNullDeviceIsAnEmptyConfig() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("baton.yml"), Path.of("/dev/zero"));
        for (Path p : new Path[] {Path.of("/dev/zero"), Path.of("/dev/urandom"), link}) {
            assertThatThrownBy(() -> ConfigNode.load(p, Map.of())).isInstanceOf(BatonException.class)
                    .hasMessageContaining("is not a regular file");
        }
        // `baton migrate upgrade --config /dev/null --url ...`: every setting from the command line
        assertThat(ConfigNode.load(Path.of("/dev/null"), Map.of()).entries()).isEmpty();
    }

    @Test
    void aRegularFileOverTheLimitIsRefusedBeforeItIsParsed() throws Exception {
        Path big = Files.write(dir.resolve("baton.yml"), ("# " + "x".repeat(ConfigNode.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ConfigNode.load(big, Map.of()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessage("config file " + big + " holds more than 1 MiB; a baton.yml is a few KB of YAML text");
        Path fits = Files.write(dir.resolve("fits.yml"), ("app: shop\n# " + "x".repeat(ConfigNode.MAX_BYTES - 20) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigNode.load(fits, Map.of()).get("app").orElseThrow().string()).isEqualTo("shop");
    }

    @Test
    void aTemplateLeavesOneVariableAsWrittenAndFillsInTheOthers() throws Exception {
        Path file = Files.writeString(dir.resolve("baton.yml"),
                "a: \"${REGION}-v${baton.version}\"\nb: \"v${baton.version:-0}\"\nc: \"${REGION}\"\n");
        ConfigNode root = ConfigNode.load(file, Map.of("REGION", "eu", "baton.version", "2.0"));
        assertThat(root.get("a").orElseThrow().string()).isEqualTo("eu-v2.0");
        assertThat(root.get("a").orElseThrow().template("baton.version")).contains("eu-v${baton.version}");
        assertThat(root.get("b").orElseThrow().template("baton.version")).contains("v${baton.version}");
        assertThat(root.get("c").orElseThrow().template("baton.version")).isEmpty();
    }
}
