package dev.baton.deploy.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.fakes.FakeDeploy;
import dev.baton.deploy.fakes.FakeHost;
import dev.baton.deploy.fakes.FakeMigrator;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployState;
import dev.baton.testing.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each step's run and undo against fakes of the ports: the logic, without processes. */
class StepsTest {
    @TempDir
    Path dir;

    @Test
    void detectActiveTakesTheOtherColourAndRefusesARouterThatDisagreesWithTheState() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        assertThat(new DetectActive().run(ctx)).isEqualTo(StepResult.done("blue → green"));
        assertThat(ctx.target()).isEqualTo("green");

        d.routers.get(1).switchTo("green"); // web-2 serves green, the state says blue
        assertThatThrownBy(() -> new DetectActive().run(d.context(FakeDeploy.active("blue", null), null)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE))
                .hasMessageContaining("web-2: the router serves green but the last deploy left blue active");
    }

    @Test
    void aServingColoursPortMovedInBatonYmlIsRefusedBeforeAnythingAndTheOtherColoursMayMove() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        ServiceSpec api = d.config.services().get("api");
        int elsewhere = FakeDeploy.GREEN + 1;
        // blue was started on another port than baton.yml now gives it; green too, which does not serve
        DeployState before = FakeDeploy.active("blue", "green")
                .with("blue", ColourRun.of(List.of(withPorts(api, elsewhere, elsewhere + 1)), "blue", "r0", null, null, "t", null, false))
                .with("green", ColourRun.of(List.of(withPorts(api, elsewhere, elsewhere + 1)), "green", "r0", null, null, "t", null, false));
        assertThatThrownBy(() -> new DetectActive().run(d.context(before, null)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("services.api.ports.blue is " + FakeDeploy.BLUE + " in baton.yml, but blue's api was started on "
                        + elsewhere).hasMessageNotContaining("ports.green");
        assertThat(d.journal.entries()).as("nothing ran").isEmpty();

        DeployState blueWhereItSays = before.with("blue", ColourRun.of(List.of(api), "blue", "r0", null, null, "t", null, false));
        assertThat(new DetectActive().run(d.context(blueWhereItSays, null))).isEqualTo(StepResult.done("blue → green"));
        // a rollback to green: started again (on today's port), it may move; running, it may not
        DeployContext rollback = d.context(FakeDeploy.active("blue", "green").with("green",
                ColourRun.of(List.of(withPorts(api, elsewhere, elsewhere + 1)), "green", "r0", null, null, "t", null, false)), null);
        rollback.colours("blue", "green");
        assertThat(((StepResult.Done) new StartIfStopped().run(rollback)).detail()).startsWith("started 1 on green");
        DeployContext again = d.context(rollback.before(), null);
        again.colours("blue", "green");
        assertThatThrownBy(() -> new StartIfStopped().run(again)).hasMessageContaining("services.api.ports.green is "
                + FakeDeploy.GREEN + " in baton.yml, but green's api was started on " + (elsewhere + 1));
    }

    @Test
    void aServingColourRenamedInBatonYmlIsRefusedBeforeAnything() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG.replace("{blue:", "{left:").replace(", green:", ", right:"), 1, "blue");
        assertThatThrownBy(() -> new DetectActive().run(d.context(FakeDeploy.active("blue", null), null)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("blue serves, but it is not a colour of baton.yml any more");
        assertThatThrownBy(() -> new RollbackColours().run(d.context(FakeDeploy.active("blue", "green"), null)))
                .hasMessageContaining("blue serves, but it is not a colour of baton.yml any more");
        // the other colour renamed alone is fine: it does not serve
        FakeDeploy one = new FakeDeploy(java.nio.file.Files.createDirectories(dir.resolve("one")), FakeDeploy.CONFIG.replace(", green:", ", right:"), 1, "blue");
        DeployContext ctx = one.context(FakeDeploy.active("blue", "green"), null);
        assertThat(new DetectActive().run(ctx)).isEqualTo(StepResult.done("blue → right"));
    }

    @Test
    void aStoppedColourStartsAgainWithItsOwnVersionAndIsRefusedWhereItsEnvironmentChangedSince() throws Exception {
        String yaml = FakeDeploy.CONFIG.replace("    health: none\n",
                "    health: none\n    env: {APP_VERSION: \"v${baton.version}\", REGION: \"${REGION:-eu}\"}\n");
        // green ran version 1.0 in eu; today's deploy would be 2.0
        ServiceSpec then = new FakeDeploy(Files.createDirectories(dir.resolve("then")), yaml, Map.of("baton.version", "1.0"), 1, "blue")
                .config.services().get("api");
        DeployState before = FakeDeploy.active("blue", "green")
                .with("green", ColourRun.of(List.of(then), "green", "r0", null, null, "t", "1.0", false));

        FakeDeploy same = new FakeDeploy(Files.createDirectories(dir.resolve("same")), yaml, Map.of("baton.version", "2.0"), 1, "blue");
        DeployContext ctx = same.context(before, null);
        ctx.colours("blue", "green");
        assertThat(((StepResult.Done) new StartIfStopped().run(ctx)).detail()).isEqualTo("started 1 on green (version 1.0)");
        assertThat(same.runtimes.get(0).startedWith.get("api-green").env())
                .containsEntry("APP_VERSION", "v1.0").containsEntry("REGION", "eu");

        FakeDeploy moved = new FakeDeploy(Files.createDirectories(dir.resolve("moved")), yaml,
                Map.of("baton.version", "2.0", "REGION", "us"), 1, "blue");
        DeployContext refused = moved.context(before, null);
        refused.colours("blue", "green");
        assertThatThrownBy(() -> new StartIfStopped().run(refused))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("green last ran with another environment than baton.yml gives it today: services.api.env.REGION"
                        + " differs").hasMessageContaining("--current-env").hasMessageNotContaining("APP_VERSION");
        assertThat(moved.journal.entries()).as("nothing started").isEmpty();

        DeployContext today = moved.context(before, null);
        today.colours("blue", "green");
        assertThat(((StepResult.Done) new StartIfStopped(true).run(today)).detail())
                .isEqualTo("started 1 on green (version 1.0; today's environment)");
        assertThat(moved.runtimes.get(0).startedWith.get("api-green").env()).containsEntry("REGION", "us")
                .containsEntry("APP_VERSION", "v1.0");
    }

    @Test
    void thePlanSaysWhereAServicesProgramIsNotThere() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        d.runtimes.get(1).missing.put("api", "services.api.command: `java` is not a program on this machine's PATH (/bin)");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        assertThat(new StartTarget().plan(ctx).notes()).contains(
                "web-2: would fail: services.api.command: `java` is not a program on this machine's PATH (/bin)")
                .noneMatch(n -> n.startsWith("web-1: would fail"));
    }

    /** {@code api} as baton.yml would give it with other ports. */
    private static ServiceSpec withPorts(ServiceSpec api, int blue, int green) {
        return new ServiceSpec(api.name(), api.argv(), api.env(), api.workDir(), java.util.Map.of("blue", blue, "green", green),
                api.health(), api.staticFrom(), api.staticTo(), api.staticOwner(), api.stopGrace(), api.image(), api.warmup(),
                api.staticSudo(), api.startLow());
    }

    @Test
    void aServerAddedToHostsGetsTheTargetAndTheUndoLeavesItServingNothing() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        d.routers.get(1).neverServing(); // web-2 just added
        d.runtimes.get(0).running.add("api-blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        assertThat(new DetectActive().run(ctx)).isEqualTo(StepResult.done("blue → green; new: web-2"));
        assertThat(ctx.established()).extracting(s -> s.name()).containsExactly("web-1");

        SwitchTraffic sw = new SwitchTraffic();
        sw.run(ctx);
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("green"));
        sw.undo(ctx); // blue is checked where it served (web-1), not on web-2, which never ran it
        assertThat(d.routers.get(0).active()).isEqualTo("blue");
        assertThat(d.routers.get(1).active()).isNull();
        assertThat(d.journal.entries()).contains("web-2 router serves nothing");
    }

    @Test
    void aServiceAddedInBatonYmlIsNotRequiredOfTheOldColourWhenTrafficGoesBack() throws Exception {
        String twoServices = FakeDeploy.CONFIG.replace("router:", "  worker:\n    command: [java, -jar, worker.jar]\n    ports: {blue: "
                + dev.baton.testing.Ports.free() + ", green: " + dev.baton.testing.Ports.free() + "}\n    health: none\nrouter:");
        FakeDeploy d = new FakeDeploy(dir, twoServices, 1, "blue");
        ServiceSpec api = d.config.services().get("api");
        d.runtimes.get(0).running.add("api-blue"); // blue ran before worker existed
        DeployContext ctx = d.context(FakeDeploy.active("blue", null)
                .with("blue", ColourRun.of(List.of(api), "blue", "r0", null, null, "t", null, false)), null);
        ctx.colours("blue", "green");
        SwitchTraffic sw = new SwitchTraffic();
        sw.run(ctx);
        sw.undo(ctx); // before: "cannot switch back to blue: worker blue does not run", and traffic stayed on green
        assertThat(d.routers.get(0).active()).isEqualTo("blue");
    }

    @Test
    void aFirstDeployTargetsTheInitialColour() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, null);
        DeployContext ctx = d.context(DeployState.NONE, null);
        assertThat(new DetectActive().run(ctx)).isEqualTo(StepResult.done("first deploy → blue"));
        assertThat(ctx.active()).isNull();
    }

    @Test
    void rollbackGoesToThePreviousColourAndRefusesWhenThereIsNone() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        DeployContext ctx = d.context(FakeDeploy.active("green", "blue"), null);
        assertThat(new RollbackColours().run(ctx)).isEqualTo(StepResult.done("green → blue"));
        assertThat(ctx.active()).isEqualTo("green");
        assertThat(ctx.target()).isEqualTo("blue");

        int started = d.routers.get(0).started.get();
        assertThatThrownBy(() -> new RollbackColours().run(d.context(FakeDeploy.active("green", null), null)))
                .hasMessageContaining("nothing to roll back to: the last deploy was the first (green)");
        assertThatThrownBy(() -> new RollbackColours().run(d.context(DeployState.NONE, null)))
                .hasMessageContaining("nothing to roll back to: no deploy has succeeded yet");
        assertThat(d.routers.get(0).started).as("no router started for a rollback that cannot happen").hasValue(started);
        d.routers.get(0).switchTo("blue");
        assertThatThrownBy(() -> new RollbackColours().run(d.context(FakeDeploy.active("green", "blue"), null)))
                .hasMessageContaining("the router serves blue already");
    }

    @Test
    void startTargetStopsALeftoverFirstAndItsUndoStopsTheTargetOnEveryServer() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        d.runtimes.get(1).running.add("api-green"); // left by a killed deploy
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        StartTarget step = new StartTarget();
        assertThat(step.run(ctx)).isEqualTo(StepResult.done("green api:" + FakeDeploy.GREEN + " on 2 hosts"));
        assertThat(d.journal.entries()).containsExactlyInAnyOrder("web-1 start api-green", "web-2 stop api-green",
                "web-2 start api-green");
        step.undo(ctx);
        assertThat(d.runtimes).allSatisfy(r -> assertThat(r.running).isEmpty());
    }

    @Test
    void aSwitchThatFailsOnTheSecondOfThreeHostsSendsTheOthersBack() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 3, "blue");
        d.routers.get(1).refusing();
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        assertThatThrownBy(() -> new SwitchTraffic().run(ctx))
                .hasMessageContaining("web-2: router on web-2 does not answer")
                .hasMessageContaining("the hosts already switched went back to blue");
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("blue"));
        assertThat(ctx.trafficMoved()).isFalse();
        assertThat(d.journal.entries()).contains("web-1 switch to green", "web-3 switch to green", "web-1 switch to blue",
                "web-3 switch to blue");
    }

    @Test
    void switchUndoSendsEveryServerBack() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        SwitchTraffic step = new SwitchTraffic();
        step.run(ctx);
        assertThat(ctx.trafficMoved()).isTrue();
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("green"));
        d.runtimes.forEach(r -> r.running.add("api-blue")); // the old colour still runs: it can take the traffic back
        step.undo(ctx);
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("blue"));
    }

    @Test
    void migrateUndoRevertsBeforeTrafficMovedAndKeepsTheSchemaAfter() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2"));
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), m);
        ctx.colours("blue", "green");
        Migrate step = new Migrate();
        step.run(ctx);
        assertThat(m.schema()).containsExactly("b2");
        step.undo(ctx);
        assertThat(m.schema()).containsExactly("a1");

        step.run(ctx);
        ctx.trafficMoved(true); // the new version has served: it may have written to the new schema
        step.undo(ctx);
        assertThat(m.schema()).containsExactly("b2");
        assertThat(d.journal.entries()).containsExactly("migrate [a1] -> [b2]", "revert to [a1]", "migrate [a1] -> [b2]");
    }

    @Test
    void migrateAndVerifyAreSkippedWithoutMigrations() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        assertThat(new Migrate().run(ctx)).isEqualTo(StepResult.skipped());
        assertThat(new Verify().run(ctx)).isEqualTo(StepResult.skipped());
    }

    @Test
    void aDrainThatHitsItsDeadlineStillStopsTheOldColour() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG + "deadlines: {drain: 300ms}\n", 1, "green");
        d.runtimes.get(0).running.add("api-blue");
        d.routers.get(0).inFlight.put("blue", 2); // a request that never finishes
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        StepResult r = new DrainAndStop().run(ctx);
        assertThat(((StepResult.Done) r).detail()).startsWith("deadline passed with 2 in flight after").endsWith("; stopped blue");
        assertThat(d.runtimes.get(0).running).isEmpty();
        assertThat(new DrainAndStop().finalizes()).isTrue();
    }

    @Test
    void aServiceKilledWhenItsGraceRanOutIsNamedWithTheFix() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG.replace("    health: none\n", "    health: none\n    stop_grace: 100ms\n"),
                1, "green");
        d.runtimes.get(0).running.add("api-blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        assertThat(((StepResult.Done) new DrainAndStop().run(ctx)).detail()).as("stopped at once").endsWith("; stopped blue");

        d.runtimes.get(0).running.add("api-blue");
        // a stop that lasts the whole grace: the process ignored SIGTERM and was killed at its end
        d.runtimes.get(0).beforeStop = () -> {
            long end = System.nanoTime() + Duration.ofMillis(150).toNanos();
            while (System.nanoTime() < end) { // parkNanos may return early: to the deadline, whatever wakes it
                LockSupport.parkNanos(end - System.nanoTime());
            }
        };
        assertThat(((StepResult.Done) new DrainAndStop().run(ctx)).detail()).endsWith("; stopped blue; api (stop_grace 100 ms)"
                + " did not exit on SIGTERM and was killed when its grace ran out: make it exit on SIGTERM (a shell or server that"
                + " is a container's PID 1 ignores it: run_args: [--init])");
    }

    @Test
    void aServiceRenamedInBatonYmlIsStoppedWithItsColourNotLeftRunningUnseen() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        ServiceSpec api = d.config.services().get("api");
        ServiceSpec web = new ServiceSpec("web", api.argv(), api.env(), api.workDir(), api.ports(), api.health(), null, null, null,
                api.stopGrace(), null, null);
        // blue and green were last started as "web"; baton.yml now calls it "api"
        DeployState before = FakeDeploy.active("blue", "green")
                .with("blue", ColourRun.of(List.of(web), "blue", "r0", null, null, "t", null, false))
                .with("green", ColourRun.of(List.of(web), "green", "r0", null, null, "t", null, false));
        d.runtimes.get(0).running.add("web-blue");
        d.runtimes.get(0).running.add("web-green"); // a leftover of green, holding its port
        DeployContext ctx = d.context(before, null);
        ctx.colours("blue", "green");
        new StartTarget().run(ctx);
        assertThat(d.runtimes.get(0).running).as("green's leftover stopped before api green starts").containsOnly("web-blue", "api-green");
        new DrainAndStop().run(ctx);
        assertThat(d.runtimes.get(0).running).as("blue's web stopped with blue").containsOnly("api-green");
    }

    @Test
    void cleanupPrunesThroughTheRuntimeAndRunsHooksOnEveryServerFromTheLoginFolder() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG + "cleanup:\n  - command: [rm, -rf, old]\n", 2, "blue");
        d.runtimes.get(0).prunes();
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        assertThat(RunHooks.cleanup().run(ctx)).isEqualTo(StepResult.done("1 command passed"));
        assertThat(d.runtimes.get(0).pruned).containsExactly("web-1");
        assertThat(d.hosts).allSatisfy(h -> {
            assertThat(h.argvs()).containsExactly(List.of("rm", "-rf", "old"));
            assertThat(h.commands.get(0).workDir()).isNull();
        });
    }

    @Test
    void gatesRunHereInTheConfigFolderAndAFailureNamesTheCommand() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG + "gates:\n  - {name: tests, command: [make, test]}\n", 1, "blue");
        d.here.answering(c -> FakeHost.exit(2, "1 test failed"));
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        assertThatThrownBy(() -> RunHooks.gates().run(ctx)).hasMessageContaining("tests: `make test` exited with 2")
                .hasMessageContaining("1 test failed");
        assertThat(d.here.commands.get(0).workDir()).isEqualTo(dir);
        assertThat(d.hosts.get(0).commands).isEmpty();
    }

    @Test
    void accessoryChecksRunAsSeenFromTheirHost() throws Exception {
        // the server's 127.0.0.1:<port> is reached from here through the host (a tunnel over SSH): a
        // check that connected from this machine would find nothing listening at the configured port
        HttpServer cache = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cache.createContext("/ping", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        cache.start();
        try {
            int nothing = Ports.free();
            FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG + "accessories:\n  db: {check: {tcp: \"127.0.0.1:" + nothing
                    + "\"}}\n  cache: {check: {http: \"http://127.0.0.1:" + nothing + "/ping\"}}\n", 1, "blue");
            DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
            FakeHost server = d.hosts.get(0);
            assertThat(StartInfrastructure.check(server, ctx, d.config.accessories().get("db").check())).isPresent();
            server.tunnels.put("127.0.0.1:" + nothing, cache.getAddress().getPort());
            assertThat(StartInfrastructure.check(server, ctx, d.config.accessories().get("db").check())).isEmpty();
            assertThat(StartInfrastructure.check(server, ctx, d.config.accessories().get("cache").check())).isEmpty();
        } finally {
            cache.stop(0);
        }
    }

    @Test
    void startTargetRefusesAPortSomethingElseListensOnBeforeStartingAnything() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        // ss on each server: web-1's listener belongs to another user (no process shown), web-2 shows it
        String socket = "LISTEN 0 50 127.0.0.1:" + FakeDeploy.GREEN + " 0.0.0.0:*";
        d.hosts.get(0).answering(c -> FakeHost.ok(c.argv().get(0).equals("ss") ? socket : ""));
        d.hosts.get(1).answering(c -> FakeHost.ok(c.argv().get(0).equals("ss") ? socket + " users:((\"python3\",pid=4242,fd=3))" : ""));
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        assertThatThrownBy(() -> new StartTarget().run(ctx))
                .hasMessageContaining("web-1: port " + FakeDeploy.GREEN + " of services.api.green is taken by a process Baton did not start")
                .hasMessageContaining("web-2: port " + FakeDeploy.GREEN + " of services.api.green is taken by python3 (pid 4242)")
                .hasMessageContaining("nothing was started");
        assertThat(d.journal.entries()).isEmpty();
        assertThat(d.hosts.get(1).argvs()).contains(List.of("ss", "-H", "-ltnp", "sport = :" + FakeDeploy.GREEN));
    }

    @Test
    void aStartThatFailsStopsWhatTheStepStarted() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG.replace("services:\n", "services:\n  web:\n    command: [node, web.js]\n"
                + "    ports: {blue: " + Ports.free() + ", green: " + Ports.free() + "}\n    health: none\n"), 1, "blue");
        d.runtimes.get(0).failOn("web-green");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        assertThatThrownBy(() -> new StartTarget().run(ctx)).hasMessageContaining("web-green would not start");
        assertThat(d.runtimes.get(0).running).as("api green, started before web failed, is stopped again").isEmpty();
    }

    @Test
    void switchUndoRefusesToPointTrafficAtAnOldColourThatNoLongerRuns() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        DeployContext ctx = d.context(FakeDeploy.active("blue", null), null);
        ctx.colours("blue", "green");
        SwitchTraffic step = new SwitchTraffic();
        step.run(ctx);
        d.runtimes.get(0).running.add("api-blue"); // web-2's blue was stopped (an interrupted drain)
        assertThatThrownBy(() -> step.undo(ctx)).hasMessageContaining("cannot switch back to blue: web-2: api blue does not run")
                .hasMessageContaining("traffic stays on green");
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("green"));
    }
}
