package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.migrate.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `baton demo` as a newcomer runs it: the whole story, then nothing left behind. */
class DemoCliIT {
    static final Pattern WORKSPACE = Pattern.compile("the demo app in (\\S+),");
    static final Map<String, String> ENV = Map.of("BATON_DEMO_DATABASE_URL", TestDatabase.ADMIN_URL);

    @TempDir
    Path work;

    @Test
    void demoDeploysThreeVersionsWithoutAFailedRequestAndCleansUp() throws Exception {
        BatonProcess.Result r = BatonProcess.run(work, ENV, "demo", "--rate", "300");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("deploy v1 +succeeded .* schema at a1c0de000001")
                .containsPattern("deploy v2 +succeeded .* blue → green +schema at b2c0de000002")
                .containsPattern("deploy v3 +failed .* traffic stayed on green +schema at b2c0de000002")
                .containsPattern("requests sent: \\d+, failed: 0, p50 [\\d.]+ ms, p99 [\\d.]+ ms")
                .contains("v2 still serves after v3's failure, and no request failed.");
        Matcher m = WORKSPACE.matcher(r.err());
        assertThat(m.find()).isTrue();
        assertNothingLeft(m.group(1));
    }

    @Test
    void interruptedDemoStopsWhatItStarted() throws Exception {
        Path err = work.resolve("demo.err");
        Process demo = BatonProcess.builder(work, ENV, "demo").redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        DeployCliIT.await(() -> read(err).contains("load: "), "the demo's load to start");
        Matcher m = WORKSPACE.matcher(read(err));
        assertThat(m.find()).isTrue();
        assertThat(processesUsing(m.group(1))).as("the demo runs services").isNotEmpty();

        demo.destroy(); // SIGTERM, as Ctrl-C would
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(read(err)).contains("cleaned up");
        assertNothingLeft(m.group(1));
    }

    static void assertNothingLeft(String workspace) throws Exception {
        DeployCliIT.await(() -> processesUsing(workspace).isEmpty(), "no process of the demo left");
        assertThat(Path.of(workspace)).doesNotExist();
        try (Connection c = DriverManager.getConnection(TestDatabase.ADMIN_URL);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'baton_demo_run'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the demo's database is dropped").isZero();
        }
    }

    static List<ProcessHandle> processesUsing(String workspace) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(workspace))
                .orElse(false) || p.info().commandLine().map(c -> c.contains(workspace)).orElse(false)).toList();
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
