package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.migrate.testing.TestDatabase;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
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
                // v1 meets an empty schema: nothing serves that its migration could break
                .containsPattern("✓ LintMigrations +\\d+ ms +nothing applied yet: no version serves on this schema")
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
        Await.until(() -> read(err).contains("load: "), "the demo's load to start");
        Matcher m = WORKSPACE.matcher(read(err));
        assertThat(m.find()).isTrue();
        assertThat(processesUsing(m.group(1))).as("the demo runs services").isNotEmpty();

        demo.destroy(); // SIGTERM, as Ctrl-C would
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(read(err)).contains("cleaned up");
        assertNothingLeft(m.group(1));
    }

    /** A server address where nothing listens, standing for "no PostgreSQL on this machine". */
    static Map<String, String> noServer() throws Exception {
        return Map.of("BATON_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:" + Ports.free() + "/postgres");
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void asRootWithNoServerItSaysHowToPointAtOne() throws Exception {
        Assumptions.assumeTrue(root(), "runs as root only (CI does); this user is "
                + System.getProperty("user.name"));
        BatonProcess.Result r = BatonProcess.run(work, noServer(), "demo");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no PostgreSQL answers at", "PostgreSQL refuses to run as root",
                "baton demo --database-url postgres://USER:PASSWORD@HOST:5432/postgres");
    }

    @Test
    void withNoServerItRunsOnAnEmbeddedPostgresAndStopsIt() throws Exception {
        List<String> cmd = new ArrayList<>();
        if (root()) {
            // PostgreSQL refuses root: run the demo as nobody, as a non-root user would
            boolean ci = "true".equals(System.getenv("CI"));
            boolean setpriv = Files.isExecutable(Path.of("/usr/bin/setpriv"));
            if (!setpriv) {
                assertThat(ci).as("CI needs /usr/bin/setpriv (util-linux) to run the demo as nobody").isFalse();
                Assumptions.abort("no /usr/bin/setpriv to drop root");
            }
            cmd.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        Path dir = Files.createTempDirectory("baton-demo-it");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the checkout may sit where nobody cannot read (/root/...): a copy of what the demo needs
        Path home = dir.resolve("baton");
        copy(BatonProcess.JAR, home.resolve("baton-cli/target/baton.jar"));
        copy(DemoFixture.APP_JAR, home.resolve("examples/demo-app/target/demo-app.jar"));
        copy(DemoFixture.APP_JAR.getParent().getParent().getParent().resolve("demo-postgres/target/demo-postgres.jar"),
                home.resolve("examples/demo-postgres/target/demo-postgres.jar"));
        try (var files = Files.walk(DemoFixture.RELEASES)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                copy(f, home.resolve("examples/demo-app/releases").resolve(DemoFixture.RELEASES.relativize(f).toString()));
            }
        }
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        cmd.addAll(List.of(BatonProcess.javaBin(), "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + run, "-jar",
                home.resolve("baton-cli/target/baton.jar").toString(), "demo"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("demo.out").toFile());
        pb.environment().putAll(noServer());
        Process demo = pb.start();
        String out;
        try {
            assertThat(demo.waitFor(180, TimeUnit.SECONDS)).as("the demo finishes").isTrue();
            out = Files.readString(dir.resolve("demo.out"));
        } finally {
            demo.destroyForcibly();
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        assertThat(demo.exitValue()).as(out).isZero();
        assertThat(out).contains("starting an embedded one", "requests sent:", "failed: 0",
                "v2 still serves after v3's failure, and no request failed.");
        Await.until(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().command().map(c -> c.contains("embedded-pg"))
                .orElse(false)), "the embedded PostgreSQL to stop");
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
        for (Path d = to.getParent(); d.getFileName() != null && !d.getFileName().toString().startsWith("baton-demo-it"); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static void assertNothingLeft(String workspace) throws Exception {
        Await.until(() -> processesUsing(workspace).isEmpty(), "no process of the demo left");
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
        } catch (IOException e) {
            return "";
        }
    }
}
