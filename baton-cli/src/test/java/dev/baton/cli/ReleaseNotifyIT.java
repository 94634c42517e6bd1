package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.testing.Ports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release (a git tag with the changelog) and Notify (ntfy and webhook over real HTTP), end to end. */
class ReleaseNotifyIT {
    @TempDir
    Path work;

    DemoFixture demo;
    HttpServer receiver;
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        demo = new DemoFixture(work);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(ex.getRequestURI().getPath() + " title=" + ex.getRequestHeaders().getFirst("Title") + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization") + " body=" + body);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        int closed = Ports.free();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config()) + "\nrelease: {tag: \"v{version}-{date}-{colour}-{release}\"}\n"
                + "notify:\n  - {ntfy: \"" + base + "/deploys\"}\n"
                + "  - {webhook: \"" + base + "/hook\", headers: {Authorization: \"Bearer s3cret-token\"}}\n"
                + "  - {webhook: \"http://127.0.0.1:" + closed + "/nobody-listens\"}\n");
        git("init", "-q");
        git("config", "user.email", "ci@example.com");
        git("config", "user.name", "CI");
        Files.writeString(work.resolve(".gitignore"), ".baton/\n");
        git("add", "-A");
        git("commit", "-q", "-m", "first version");
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
        demo.close();
    }

    String git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }

    @Test
    void aDeployIsTaggedWithItsChangelogAndAnnouncedAndAFailedNoticeDoesNotFailIt() throws Exception {
        BatonProcess.Result first = demo.deploy(1);
        String commit = git("rev-parse", "--short=7", "HEAD").strip();

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).as("the version is the git commit by default").contains("Deploying demo " + commit + " (")
                .containsPattern("✓ Release .* tagged v" + commit + "-\\d{8}-blue-\\d{8}-\\d{6}-[0-9a-f]{7} \\(1 commit\\)")
                .contains("✗ Notify").contains("not delivered (the deploy's outcome stands)").contains("nobody-listens");
        String tags = git("tag", "-n20");
        assertThat(tags).contains("demo " + commit + " (release ").contains("- first version");
        assertThat(received).anySatisfy(r -> assertThat(r).startsWith("/deploys title=demo " + commit + " deploy ").contains("succeeded")
                .contains("body=(none) → blue in "));
        assertThat(received).anySatisfy(r -> assertThat(r).startsWith("/hook").contains("auth=Bearer s3cret-token")
                .contains("\"outcome\":\"succeeded\"", "\"to\":\"blue\"", "\"version\":\"" + commit + "\""));
        try (var logs = Files.list(demo.ws.stateDir().resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as("no secret in " + log).doesNotContain("s3cret-token");
            }
        }

        Files.writeString(work.resolve("CHANGES.txt"), "more\n");
        git("add", "-A");
        git("commit", "-q", "-m", "second change");
        received.clear();
        BatonProcess.Result second = demo.baton(2, new String[0], "deploy", "--confirm", "deploy-demo", "--version", "2.0.0-rc.1");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("Deploying demo 2.0.0-rc.1 (").contains("version from --version")
                .containsPattern("tagged v2.0.0-rc.1-\\d{8}-green-\\S+ \\(1 commit since [0-9a-f]+\\)");
        assertThat(received).anySatisfy(r -> assertThat(r).startsWith("/deploys title=demo 2.0.0-rc.1 deploy "));
        // each colour's version, in state, status and history
        BatonProcess.Result status = demo.inProcess(2, "status");
        assertThat(status.out()).containsPattern("version: +blue +" + commit + " \\(release ")
                .containsPattern("version: +green +2.0.0-rc.1 \\(release ");
        assertThat(demo.inProcess(2, "history", "--json").out()).contains("\"version\":\"2.0.0-rc.1\"", "\"version\":\"" + commit + "\"");
        assertThat(Files.readString(demo.ws.stateDir().resolve("state.json"))).contains("\"version\":\"2.0.0-rc.1\"");
        String latest = git("tag", "-n20", "--sort=-creatordate").split("\n(?=v)")[0];
        assertThat(latest).contains("- second change").doesNotContain("- first version");

        received.clear();
        BatonProcess.Result third = demo.deploy(3, "BATON_VERSION", "3.0.0");
        assertThat(third.exitCode()).isEqualTo(1);
        assertThat(third.err()).contains("Deploying demo 3.0.0 (").contains("version from BATON_VERSION");
        assertThat(received).anySatisfy(r -> assertThat(r).startsWith("/hook").contains("\"outcome\":\"rolled_back\"",
                "\"failed_step\":\"LintMigrations\""));
        assertThat(received).anySatisfy(r -> assertThat(r).startsWith("/deploys").contains("rolled back")
                .contains("body=failed at LintMigrations").contains("green keeps serving"));
        assertThat(git("tag", "-l").lines().count()).as("a failed deploy is not tagged").isEqualTo(2);
    }
}
