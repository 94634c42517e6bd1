package dev.baton.deploy.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.deploy.fakes.FakeDeploy;
import dev.baton.deploy.fakes.FakeHost;
import dev.baton.deploy.fakes.FakeRuntime;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps that talk HTTP (AwaitHealthy, WarmUp, Validate) against a real local server standing
 * in for the new colour, and the steps that only run commands (Confirm, StartIfStopped,
 * PublishStatic, Release) on fakes.
 */
class HttpStepsTest {
    @TempDir
    Path dir;

    HttpServer app;
    /** path → status the app answers; absent: 200. */
    final Map<String, Integer> answers = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    /** How many requests still get 503, whatever the path (an app whose database pool reconnects). */
    final AtomicInteger failingFirst = new AtomicInteger();
    /** A colour starved of CPU at start_priority: low: /health answers 503 and /warm hangs until it is raised. */
    final CountDownLatch starved = new CountDownLatch(1);
    volatile boolean starving;
    String warmupDeadline = "5s";

    @BeforeEach
    void startApp() throws Exception {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", ex -> {
            requests.incrementAndGet();
            if (starving && ex.getRequestURI().getPath().equals("/warm")) {
                try {
                    starved.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = starving && starved.getCount() > 0 && ex.getRequestURI().getPath().equals("/health") ? 503 : failingFirst.getAndDecrement() > 0 ? 503 : answers.getOrDefault(ex.getRequestURI().getPath(), 200);
            byte[] body = ("answer " + status).getBytes();
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        app.start();
    }

    @AfterEach
    void stopApp() {
        app.stop(0);
    }

    /** A config whose green colour is the local app. */
    FakeDeploy deploy(String more) throws Exception {
        return deploy("", "1s", more);
    }

    FakeDeploy deploy(String service, String health, String more) throws Exception {
        int port = app.getAddress().getPort();
        return new FakeDeploy(dir, """
                app: shop
                services:
                  api:
                    command: [java, -jar, api.jar]
                    ports: {blue: %d, green: %d}
                    health: [/health]
                    warmup: {paths: [/warm], requests: 20, concurrency: 2}
                %s
                router:
                  listen: 127.0.0.1:8080
                deadlines: {health: %s, warmup: %s, validate: 1s}
                """.formatted(port == 65535 ? port - 1 : port + 1, port, service, health, warmupDeadline) + more, 1, "blue");
    }

    DeployContext toGreen(FakeDeploy d) {
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        return ctx;
    }

    @Test
    void awaitHealthyReturnsOnceTheEndpointAnswersAndFailsWithTheLastAnswerAndTheLogTail() throws Exception {
        FakeDeploy d = deploy("");
        d.runtimes.get(0).running.add("api-green");
        assertThat(new AwaitHealthy().run(toGreen(d))).isEqualTo(StepResult.done("1 endpoint healthy on green"));

        answers.put("/health", 503);
        assertThatThrownBy(() -> new AwaitHealthy().run(toGreen(d)))
                .hasMessageContaining("api green not healthy within 1 s (deadlines.health)")
                .hasMessageContaining("/health → HTTP 503 answer 503")
                .hasMessageContaining("(fake log of api-green)");
    }

    @Test
    void aLowStartThatIsNotHealthyByHalfTheDeadlineGetsTheOtherHalfAtNormalPriorityOnce() throws Exception {
        FakeDeploy d = deploy("", "2s", "");
        FakeRuntime runtime = d.runtimes.get(0);
        runtime.running.add("api-green");
        starving = true;
        runtime.onRaise = starved::countDown;
        DeployContext ctx = toGreen(d);

        StepResult r = new AwaitHealthy().run(ctx);

        assertThat(((StepResult.Done) r).detail()).startsWith("1 endpoint healthy on green; raised green to normal CPU priority"
                + " after 1 s, half of deadlines.health: at start_priority: low it was too slow on this busy machine");
        assertThat(runtime.raised).containsExactly("api-green");
        new SwitchTraffic().run(ctx);
        assertThat(runtime.raised).as("not raised a second time at the switch").containsExactly("api-green");
    }

    @Test
    void aHealthyLowStartStaysLowUntilTheSwitch() throws Exception {
        FakeDeploy d = deploy("", "2s", "");
        FakeRuntime runtime = d.runtimes.get(0);
        runtime.running.add("api-green");
        DeployContext ctx = toGreen(d);
        assertThat(new AwaitHealthy().run(ctx)).isEqualTo(StepResult.done("1 endpoint healthy on green"));
        new WarmUp().run(ctx);
        assertThat(runtime.raised).isEmpty();
        new SwitchTraffic().run(ctx);
        assertThat(runtime.raised).containsExactly("api-green");
    }

    @Test
    void aWarmUpStarvedAtLowPriorityIsRaisedAtHalfItsDeadlineAndFinishes() throws Exception {
        warmupDeadline = "2s";
        FakeDeploy d = deploy("");
        FakeRuntime runtime = d.runtimes.get(0);
        starving = true; // each /warm waits until the colour is raised
        runtime.onRaise = starved::countDown;

        StepResult r = new WarmUp().run(toGreen(d));

        assertThat(((StepResult.Done) r).detail()).contains("api 20 GETs", "; raised green to normal CPU priority after 1 s,"
                + " half of deadlines.warmup");
        assertThat(runtime.raised).containsExactly("api-green");
    }

    @Test
    void aColourThatRunsGetsAFewSecondsToAnswerBeforeItIsCalledUnhealthy() throws Exception {
        FakeDeploy d = deploy("");
        d.runtimes.get(0).running.add("api-green");
        failingFirst.set(2); // its first two answers are 503, as while its pool replaces dead connections

        assertThat(ColourHealth.problems(d.servers, d.config.services().values(), "green")).isEmpty();
        assertThat(requests).hasValue(3);
        // one that does not run is named at once
        assertThat(ColourHealth.problems(d.servers, d.config.services().values(), "blue")).containsExactly("api blue does not run");
    }

    @Test
    void awaitHealthyFailsAtOnceWhenTheProcessExits() throws Exception {
        FakeDeploy d = deploy("", "30s", "");
        answers.put("/health", 503);
        long start = System.nanoTime();
        // not in the runtime's running set: the process has exited; seen within ten polls, not at the 30 s deadline
        assertThatThrownBy(() -> new AwaitHealthy().run(toGreen(d))).hasMessageContaining("api green exited before it was healthy");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void warmUpSendsItsRequestsAndAnErrorAnswerFailsIt() throws Exception {
        FakeDeploy d = deploy("");
        StepResult r = new WarmUp().run(toGreen(d));
        assertThat(((StepResult.Done) r).detail()).startsWith("api 20 GETs, median ");
        assertThat(requests).hasValue(20);

        answers.put("/warm", 500);
        assertThatThrownBy(() -> new WarmUp().run(toGreen(d))).hasMessageContaining("api green answered HTTP 500 to GET /warm");
    }

    @Test
    void validateAsksThroughTheRouterAndNamesTheURLsThatFail() throws Exception {
        FakeDeploy d = deploy("validate: [/api/version, /api/items]\n");
        d.routers.get(0).publicAt(URI.create("http://127.0.0.1:" + app.getAddress().getPort()));
        assertThat(new Validate().run(toGreen(d))).isEqualTo(
                StepResult.done("2 URLs answer through http://127.0.0.1:" + app.getAddress().getPort()));
        answers.put("/api/items", 404);
        assertThatThrownBy(() -> new Validate().run(toGreen(d))).hasMessageContaining("public URLs failed through the router:")
                .hasMessageContaining("/api/items → HTTP 404").hasMessageNotContaining("/api/version →");
    }

    @Test
    void confirmNeedsTheConfiguredToken() throws Exception {
        FakeDeploy d = deploy("confirm: ship-it\n");
        assertThatThrownBy(() -> new Confirm().run(d.context(FakeDeploy.active("blue", null), null)))
                .hasMessageContaining("pass --confirm");
        assertThat(new Confirm().run(new DeployContext(d.config, d.servers, d.here, Optional.empty(),
                new DeployLog(dir.resolve("c.log")), "ship-it", "r1", null, FakeDeploy.active("blue", null))))
                .isEqualTo(StepResult.done("confirmed"));
        assertThat(new Confirm().run(deploy("").context(FakeDeploy.active("blue", null), null))).isEqualTo(StepResult.skipped());
    }

    @Test
    void startIfStoppedStartsOnlyWhatIsDownAndItsUndoStopsOnlyThat() throws Exception {
        FakeDeploy d = deploy("");
        StartIfStopped step = new StartIfStopped();
        DeployContext ctx = toGreen(d);
        d.runtimes.get(0).running.add("api-green");
        assertThat(step.run(ctx)).isEqualTo(StepResult.done("green still runs"));
        step.undo(ctx);
        assertThat(d.runtimes.get(0).running).containsExactly("api-green");

        d.runtimes.get(0).running.clear();
        StartIfStopped again = new StartIfStopped();
        assertThat(again.run(ctx)).isEqualTo(StepResult.done("started 1 on green"));
        again.undo(ctx);
        assertThat(d.runtimes.get(0).running).isEmpty();
    }

    @Test
    void publishStaticUploadsALocalFolderIntoTheColoursOwnFolderAndSetsTheOwner() throws Exception {
        Path assets = Files.createDirectories(dir.resolve("public/css"));
        Files.writeString(assets.resolve("site.css"), "body{}");
        Files.writeString(dir.resolve("public/index.html"), "<html>");
        FakeDeploy d = deploy("    static: {from: public, to: /var/www/shop, owner: www-data}", "1s", "");
        FakeHost server = d.hosts.get(0);
        assertThat(new PublishStatic().run(toGreen(d))).isEqualTo(StepResult.done("2 files to green"));
        assertThat(server.argvs()).contains(List.of("rm", "-rf", "--", "/var/www/shop/green"),
                List.of("mkdir", "-p", "--", "/var/www/shop/green/css"), List.of("chown", "-R", "--", "www-data", "/var/www/shop/green"));
        assertThat(server.uploads).containsExactlyInAnyOrder(dir.resolve("public/index.html") + " -> /var/www/shop/green/index.html",
                dir.resolve("public/css/site.css") + " -> /var/www/shop/green/css/site.css");
    }

    @Test
    void releaseTagsTheCommitHereWithTheChangelogSinceThePreviousRelease() throws Exception {
        FakeDeploy d = deploy("release: {tag: \"v-{colour}-{release}\", push: origin}\n");
        // v-green-r1 exists already (an earlier deploy in the same minute): the tag gets a suffix
        d.here.answering(c -> c.argv().get(1).equals("log") ? FakeHost.ok("- add priority (abc1234)\n- fix (def5678)")
                : c.argv().get(1).equals("rev-parse") ? FakeHost.exit(c.argv().get(4).equals("refs/tags/v-green-r1") ? 0 : 1, "")
                : FakeHost.ok(""));
        DeployContext ctx = new DeployContext(d.config, d.servers, d.here, Optional.empty(),
                new DeployLog(dir.resolve("r.log")), null, "r1", "0123456789ab",
                new DeployState("blue", null, null, "r0", "fedcba987654", "t"));
        ctx.colours("blue", "green");
        assertThat(new Release().run(ctx)).isEqualTo(StepResult.done("tagged v-green-r1-2 (2 commits since fedcba987654), pushed to origin"));
        List<List<String>> git = d.here.argvs().stream().filter(a -> !a.get(1).equals("rev-parse")).toList();
        assertThat(git.get(0)).containsExactly("git", "log", "--pretty=format:- %s (%h)", "fedcba987654..HEAD");
        assertThat(git.get(1)).startsWith("git", "tag", "-a", "v-green-r1-2", "-m");
        assertThat(git.get(1).get(5)).contains("shop (release r1) on green", "- add priority (abc1234)");
        assertThat(git.get(2)).containsExactly("git", "push", "origin", "refs/tags/v-green-r1-2");
        assertThat(d.here.commands).extracting(Command::workDir).containsOnly(dir);
    }
}
