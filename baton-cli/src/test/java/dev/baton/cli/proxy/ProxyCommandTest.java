package dev.baton.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyCommandTest {
    private static final Path CONFIG = Path.of("/srv/app/baton.yml");
    private static final List<String> BATON = List.of("/usr/bin/java", "-cp", "/opt/baton/baton.jar", "dev.baton.cli.Main");

    @Test
    void allThreeRunOnC1AndTheSupervisorWithASmallHeap() {
        List<String> supervisor = ProxyCommand.argv(BATON, CONFIG, "--supervise", null);
        List<String> router = ProxyCommand.argv(BATON, CONFIG, null, null);
        List<String> standby = ProxyCommand.argv(BATON, CONFIG, "--standby", null);

        assertThat(supervisor).contains("-XX:TieredStopAtLevel=1", "-Xmx32m").endsWith("--supervise");
        assertThat(router).contains("-XX:TieredStopAtLevel=1").doesNotContain("-Xmx32m")
                .endsWith("dev.baton.cli.Main", "proxy", "--config", CONFIG.toString());
        assertThat(standby).contains("-XX:TieredStopAtLevel=1").doesNotContain("-Xmx32m").endsWith("--standby");
        assertThat(List.of(supervisor, router, standby)).allSatisfy(argv -> assertThat(argv).startsWith("/usr/bin/java")
                .containsSubsequence("-cp", "/opt/baton/baton.jar", "dev.baton.cli.Main", "proxy"));
    }

    @Test
    void extraJavaOptionsAreSplitOnWhitespaceAndComeBeforeTheClassPath() {
        List<String> standby = ProxyCommand.argv(BATON, CONFIG, "--standby", "  -Xmx256m \t-Dfoo=bar baz  ");

        assertThat(standby).containsSubsequence("-Xmx256m", "-Dfoo=bar", "baz", "-cp");
        assertThat(ProxyCommand.argv(BATON, CONFIG, null, " ")).isEqualTo(ProxyCommand.argv(BATON, CONFIG, null, null));
    }

    @Test
    void theUsersOptionsComeAfterBatonsOwnSoTheyWin() {
        // the JVM takes the last of two -Xmx, and of two TieredStopAtLevel (4: C2 back on)
        List<String> supervisor = ProxyCommand.argv(BATON, CONFIG, "--supervise", "-Xmx64m");
        List<String> router = ProxyCommand.argv(BATON, CONFIG, null, "-XX:TieredStopAtLevel=4");

        assertThat(supervisor).containsSubsequence("-Xmx32m", "-Xmx64m");
        assertThat(router).containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4");
    }
}
