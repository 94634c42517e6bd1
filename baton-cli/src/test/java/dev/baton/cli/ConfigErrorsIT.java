package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config error through the real jar: exit 2 and one line saying what to do, no stack trace ({@link ConfigErrorsTest} has the rest). */
class ConfigErrorsIT {
    @TempDir
    Path work;

    @Test
    void missingFileSaysHowToStart() throws Exception {
        BatonProcess.Result r = BatonProcess.run(work, Map.of(), "deploy");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: ").contains("baton.yml does not exist; pass --config FILE or run `baton init`")
                .doesNotContain("Exception", "\tat ");
    }
}
