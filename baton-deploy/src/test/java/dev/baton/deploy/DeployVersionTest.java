package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a deploy's version comes from, against a real git checkout. */
class DeployVersionTest {
    @TempDir
    Path dir;

    final LocalHost here = new LocalHost();

    String git(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        var r = here.run(Command.of(argv).in(dir));
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().strip();
    }

    @Test
    void theFirstOfFlagEnvironmentCommitAndTime() throws Exception {
        assertThat(DeployVersion.resolve(null, Map.of(), dir, here)).satisfies(v -> {
            assertThat(v.source()).isEqualTo("time");
            assertThat(v.value()).matches("\\d{8}-\\d{6}");
        });
        git("init", "-q");
        git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "--allow-empty", "-m", "one");
        Files.writeString(dir.resolve("app.txt"), "1\n");
        git("add", "app.txt");
        git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "two");
        String commit = git("rev-parse", "--short=7", "HEAD");
        assertThat(DeployVersion.resolve(null, Map.of(), dir, here)).isEqualTo(new DeployVersion(commit, "git"));
        Files.writeString(dir.resolve("untracked.txt"), "not part of it\n");
        assertThat(DeployVersion.resolve(null, Map.of(), dir, here).value()).as("untracked files do not count").isEqualTo(commit);
        Files.writeString(dir.resolve("app.txt"), "2\n");
        assertThat(DeployVersion.resolve(null, Map.of(), dir, here).value()).isEqualTo(commit + "-dirty");
        assertThat(DeployVersion.resolve(null, Map.of("BATON_VERSION", " 1.4.2\n"), dir, here)).isEqualTo(new DeployVersion("1.4.2", "BATON_VERSION"));
        assertThat(DeployVersion.resolve("1.5.0", Map.of("BATON_VERSION", "1.4.2"), dir, here)).isEqualTo(new DeployVersion("1.5.0", "--version"));
    }

    @Test
    void aVersionIsAnImageTagAFolderNameAndPartOfAGitRef() {
        for (String bad : new String[] {"", "-rm", ".hidden", "1..2", "a/b", "1 2", "x".repeat(129), "v1;reboot", "é"}) {
            assertThatThrownBy(() -> new DeployVersion(bad, "--version")).as(bad).isInstanceOf(BatonException.class)
                    .hasMessageStartingWith("--version: \"" + bad + "\" is not a version");
        }
        assertThat(new DeployVersion("v1.0.0-beta.20261129_1", "--version").into(Map.of("HOME", "/root")))
                .containsEntry("baton.version", "v1.0.0-beta.20261129_1").containsEntry("HOME", "/root");
    }
}
