package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalHost against real processes. */
class LocalHostTest {
    final LocalHost host = new LocalHost();

    @TempDir
    Path tmp;

    @Test
    void runsArgvWithoutAShellAndReportsExitCodeAndOutput() {
        List<String> lines = new ArrayList<>();
        CommandResult r = host.run(Command.of("printf", "%s\\n", "a b", "$HOME;rm -rf /"), lines::add);
        assertThat(r.ok()).isTrue();
        // arguments arrive verbatim: nothing is expanded or split
        assertThat(lines).containsExactly("a b", "$HOME;rm -rf /");
        CommandResult failed = host.run(Command.of("sh", "-c", "echo oops >&2; exit 3"));
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.output()).isEqualTo("oops\n");
    }

    @Test
    void environmentAndWorkingFolderAreApplied() throws Exception {
        CommandResult r = host.run(Command.of("sh", "-c", "echo $PORT:$(pwd)").withEnv(Map.of("PORT", "8001")).in(tmp));
        assertThat(r.output().strip()).isEqualTo("8001:" + tmp.toRealPath().toString().replace("\\", "/"));
    }

    @Test
    void aCommandPastItsDeadlineIsKilledAndReportedAsTimedOut() {
        CommandResult r = host.run(Command.of("sh", "-c", "echo started; exec sleep 60").timeout(Duration.ofMillis(500)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).contains("started");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsAClearError() {
        assertThatThrownBy(() -> host.run(Command.of("/nonexistent/tool", "x"))).isInstanceOf(BatonException.class)
                .hasMessageContaining("cannot start `/nonexistent/tool x`");
    }

    @Test
    void displayQuotesArgumentsAndHidesSecrets() {
        assertThat(Command.of("psql", "postgres://u:pw@h/db", "-c", "select 1").display())
                .isEqualTo("psql postgres://u:***@h/db -c 'select 1'");
    }
}
