package dev.baton.deploy.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.StatePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state folder's entry that is not what it should be is named with what is wrong, not only its path. */
class StateFilesInTheWayTest {
    @TempDir
    Path dir;

    @Test
    void aFileWhereTheLogsFolderShouldBeIsNamedAsSuch() throws Exception {
        Path logs = Files.writeString(dir.resolve("logs"), "x");
        assertThatThrownBy(() -> new DeployLog(logs.resolve("deploy-1.log")))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE))
                .hasMessage("cannot write the deploy log " + logs.resolve("deploy-1.log") + ": " + logs + " is a file, not a folder");
    }

    @Test
    void aFolderWhereAStateFileShouldBeIsNamedAsSuch() throws Exception {
        Files.createDirectories(new StatePaths(dir).state());
        assertThatThrownBy(() -> DeployState.NONE.save(dir))
                .isInstanceOf(BatonException.class)
                .hasMessage("cannot write " + new StatePaths(dir).state() + ": Is a directory");
        assertThatThrownBy(() -> DeployState.load(dir)).isInstanceOf(BatonException.class)
                .hasMessageStartingWith(new StatePaths(dir).state() + " is not readable state (not a file); move it aside");
    }
}
