package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's program looked up as the shell that starts it does, on real files. */
class ProgramTest {
    @TempDir
    Path dir;

    Path file(String name, String mode) throws Exception {
        Path f = Files.createDirectories(dir.resolve(name).getParent()).resolve(dir.resolve(name).getFileName());
        Files.writeString(f, "#!/bin/sh\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aNameIsFoundOnPathAndAMisspeltOneIsNamedWithThePathSearched() throws Exception {
        file("bin/app", "rwxr-xr-x");
        assertThat(Program.problem("app", dir, "/nowhere:" + dir.resolve("bin"))).isEmpty();
        assertThat(Program.problem("sh", dir, System.getenv("PATH"))).isEmpty();
        assertThat(Program.problem("pythn3", dir, "/usr/bin:/bin")).hasValueSatisfying(why -> assertThat(why)
                .contains("`pythn3` is not a program on this machine's PATH (/usr/bin:/bin)", "check its spelling"));
    }

    @Test
    void anEmptyPathEntryIsTheServicesFolderAsForTheShell() throws Exception {
        file("tool", "rwxr-xr-x");
        assertThat(Program.problem("tool", dir, "/nowhere:")).isEmpty();
        assertThat(Program.problem("tool", dir, "/nowhere")).isPresent();
    }

    @Test
    void aPathIsReadFromTheServicesFolder() throws Exception {
        file("run.sh", "rwxr-xr-x");
        assertThat(Program.problem("./run.sh", dir, "")).isEmpty();
        assertThat(Program.problem(dir.resolve("run.sh").toString(), Path.of("/"), "")).isEmpty();
        assertThat(Program.problem("./bin/server", dir, "")).hasValueSatisfying(why -> assertThat(why)
                .contains("`./bin/server` does not exist (" + dir.resolve("bin/server") + ")", "service's folder " + dir));
        Files.createDirectories(dir.resolve("dist"));
        assertThat(Program.problem("./dist", dir, "")).hasValueSatisfying(why -> assertThat(why).contains("is a folder"));
    }

    @Test
    void aFileThatIsNotExecutableSaysHowToRunIt() throws Exception {
        Path script = file("app.sh", "rw-r--r--");
        assertThat(Program.problem("./app.sh", dir, "")).hasValueSatisfying(why -> assertThat(why)
                .contains("is not executable: chmod +x " + script, "[sh, ./app.sh]"));
        file("bin/tool", "rw-r--r--");
        assertThat(Program.problem("tool", dir, dir.resolve("bin").toString())).hasValueSatisfying(why -> assertThat(why)
                .contains("chmod +x " + dir.resolve("bin/tool")));
    }
}
