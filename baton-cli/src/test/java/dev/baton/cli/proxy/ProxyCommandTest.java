package dev.baton.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyCommandTest {
    private static final Path CONFIG = Path.of("/srv/app/baton.yml");

    @Test
    void allThreeRunOnC1AndTheSupervisorWithASmallHeap() {
        List<String> supervisor = ProxyCommand.argv(CONFIG, "--supervise", null);
        List<String> router = ProxyCommand.argv(CONFIG, null, null);
        List<String> standby = ProxyCommand.argv(CONFIG, "--standby", null);

        assertThat(supervisor).contains("-XX:TieredStopAtLevel=1", "-Xmx32m").endsWith("--supervise");
        assertThat(router).contains("-XX:TieredStopAtLevel=1").doesNotContain("-Xmx32m")
                .endsWith("dev.baton.cli.Main", "proxy", "--config", CONFIG.toString());
        assertThat(standby).contains("-XX:TieredStopAtLevel=1").doesNotContain("-Xmx32m").endsWith("--standby");
    }

    @Test
    void extraJavaOptionsAreSplitOnWhitespaceAndComeBeforeTheClassPath() {
        List<String> standby = ProxyCommand.argv(CONFIG, "--standby", "  -Xmx256m \t-Dfoo=bar baz  ");

        assertThat(standby).containsSubsequence("-Xmx256m", "-Dfoo=bar", "baz", "-cp");
        assertThat(ProxyCommand.argv(CONFIG, null, " ")).isEqualTo(ProxyCommand.argv(CONFIG, null, null));
    }

    @Test
    void theUsersOptionsComeAfterBatonsOwnSoTheyWin() {
        // the JVM takes the last of two -Xmx, and of two TieredStopAtLevel (4: C2 back on)
        List<String> supervisor = ProxyCommand.argv(CONFIG, "--supervise", "-Xmx64m");
        List<String> router = ProxyCommand.argv(CONFIG, null, "-XX:TieredStopAtLevel=4");

        assertThat(supervisor).containsSubsequence("-Xmx32m", "-Xmx64m");
        assertThat(router).containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4");
    }
}
