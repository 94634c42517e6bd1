package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code baton} launcher script of the checkout, as a user runs it. */
class LauncherIT {
    @TempDir
    Path dir;

    /** A copy of what the launcher needs: itself and the three jars it checks for. */
    Path checkout() throws Exception {
        Path home = dir.resolve("baton");
        copy(Path.of("../baton"), home.resolve("baton"));
        Files.setPosixFilePermissions(home.resolve("baton"), PosixFilePermissions.fromString("rwxr-xr-x"));
        copy(BatonProcess.JAR, home.resolve("baton-cli/target/baton.jar"));
        copy(DemoFixture.APP_JAR, home.resolve("examples/demo-app/target/demo-app.jar"));
        copy(DemoFixture.APP_JAR.getParent().getParent().getParent().resolve("demo-postgres/target/demo-postgres.jar"),
                home.resolve("examples/demo-postgres/target/demo-postgres.jar"));
        return home;
    }

    /** A copy readable by all, in folders all may enter (the test may run the launcher as nobody). */
    static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    }

    record Run(int exit, String err) {}

    Run run(List<String> prefix, Path launcher, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theFirstRunRecordsAClassArchiveWhereItMayAndRunsCleanlyWhereItMayNot() throws Exception {
        Path home = checkout();
        Path archive = home.resolve("baton-cli/target/baton.jar.init.jsa");
        // writable: the first run records the command's archive, and the exit code is the command's
        Run first = run(List.of(), home.resolve("baton"), "init", "--config", dir.resolve("exists.yml").toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(archive).exists();
        Run again = run(List.of(), home.resolve("baton"), "init", "--config", dir.resolve("exists.yml").toString());
        assertThat(again.exit()).as("exit 2: the file exists; " + again.err()).isEqualTo(2);

        // a checkout this user may not write to (root's, under /opt, say): before, the JVM asked to record the
        // archive there ended with "Unable to create shared archive file" and exit 1, whatever the command did
        Files.delete(archive);
        List<String> asOther = List.of();
        if (DemoCliIT.root()) {
            asOther = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
            Files.setPosixFilePermissions(home.resolve("baton-cli/target"), PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        Run readOnly = run(asOther, home.resolve("baton"), "init", "--config", dir.resolve("other.yml").toString());
        assertThat(readOnly.exit()).as(readOnly.err()).isZero();
        assertThat(readOnly.err()).doesNotContain("shared archive", "Error occurred");
        assertThat(archive).doesNotExist();
        Files.setPosixFilePermissions(home.resolve("baton-cli/target"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
