package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The nice value of a process's session group (Linux's autogroup), read from /proc/<pid>/autogroup. */
public final class SessionGroup {
    private SessionGroup() {}

    /**
     * The group's nice value; 0 for a process outside any session group (the kernel prints nothing
     * for one still in the root group, as a CI runner started from init without a session of its
     * own is, and that group has a nice-0 weight). A kernel without autogroup skips the test with the reason outside CI
     * and fails it under CI=true (CI's machines have it).
     */
    public static int nice(long pid) throws IOException {
        String line;
        try {
            line = Files.readString(Path.of("/proc/" + pid + "/autogroup")).strip(); // "/autogroup-42 nice 10"
        } catch (NoSuchFileException e) {
            assertThat("true".equals(System.getenv("CI"))).as("CI's kernel must group sessions (CONFIG_SCHED_AUTOGROUP)").isFalse();
            Assumptions.abort("this kernel has no /proc/<pid>/autogroup (CONFIG_SCHED_AUTOGROUP): nothing to check");
            throw e;
        }
        if (line.isEmpty()) {
            return 0;
        }
        return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
    }
}
