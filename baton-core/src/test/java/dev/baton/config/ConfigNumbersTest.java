package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole number in a key: its range, and the refusal of one with more digits than any int, which says that range. */
class ConfigNumbersTest {
    @TempDir
    Path dir;

    private ConfigNode n(String value) throws Exception {
        Path f = Files.write(dir.resolve("baton.yml"), ("n: " + value + "\n").getBytes(StandardCharsets.UTF_8));
        return ConfigNode.load(f, Map.of()).get("n").orElseThrow();
    }

    @Test
    void aNumberInRangeIsReadWithItsSignAndLeadingZeros() throws Exception {
        assertThat(n("42").integer(1, 100, "a number from 1 to 100")).isEqualTo(42);
        assertThat(n("'+007'").integer(1, 100, "a number from 1 to 100")).isEqualTo(7);
        assertThat(n("'-3'").integer(-5, 5, "a number from -5 to 5")).isEqualTo(-3);
        assertThat(n("0000000000000000000000000000000000000001").integer(1, 100, "x")).isEqualTo(1);
    }

    @Test
    void outOfRangeAndOverflowingDigitsNameTheRangeAndNonNumbersAreQuoted() throws Exception {
        for (String v : new String[] {"0", "101", "4294967297", "-4294967297", "9223372036854775808", "1" + "0".repeat(5000)}) {
            assertThatThrownBy(() -> n(v).integer(1, 100, "a number from 1 to 100")).as(v).isInstanceOf(BatonException.class)
                    .hasMessage("n: expected a number from 1 to 100, got " + v + " (baton.yml:1)");
        }
        for (String v : new String[] {"1.5", "abc", "'1 2'", "'١٢'"}) {
            assertThatThrownBy(() -> n(v).integer(1, 100, "a number from 1 to 100")).as(v).isInstanceOf(BatonException.class)
                    .hasMessageStartingWith("n: expected a number from 1 to 100, got \"");
        }
    }
}
