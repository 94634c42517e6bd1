package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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

    /** A deploy once run with sudo leaves a state folder the deploying user cannot read: not "never deployed". */
    @Test
    void aStateFolderOfAnotherUserIsNamedWithItsOwnerAndTheFix() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(setpriv)) {
            assertThat("true".equals(System.getenv("CI"))).as("CI runs as root, with util-linux's setpriv").isFalse();
            Assumptions.abort("needs root and " + setpriv + " to run baton as the user nobody");
        }
        Path dir = Files.createTempDirectory("baton-owner-it"); // a folder nobody can read, unlike @TempDir's
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Files.copy(BatonProcess.JAR, dir.resolve("baton.jar")); // the checkout may be where nobody cannot read
            Files.writeString(dir.resolve("baton.yml"), ConfigErrorsTest.GOOD);
            Path state = Files.createDirectories(dir.resolve(".baton"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.writeString(state.resolve("state.json"), "{\"active\":\"blue\"}");
            Process p = new ProcessBuilder(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                    BatonProcess.javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "status"))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(out).isEqualTo(3);
            assertThat(out).contains("error: " + state + " (Baton's state) belongs to root, and nobody cannot use it: run baton as root",
                    "sudo chown -R nobody " + state).doesNotContain("never deployed", "\tat ");
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
