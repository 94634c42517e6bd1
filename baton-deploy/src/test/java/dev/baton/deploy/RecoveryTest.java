package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.fakes.FakeDeploy;
import dev.baton.deploy.fakes.FakeMigrator;
import dev.baton.deploy.fakes.FakeRouter;
import dev.baton.deploy.lock.FileDeployLock;
import dev.baton.deploy.state.AuditLog;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployState;
import dev.baton.deploy.state.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code baton recover} (and every deploy and rollback first) does with what a killed deploy or a lost state file left. */
class RecoveryTest {
    @TempDir
    Path dir;

    Deployer deployer(FakeDeploy d, FakeMigrator m) {
        return new Deployer(d.config, new Deployer.Ports(d.servers, d.here, () -> new FileDeployLock(d.config.stateDir()),
                log -> Optional.ofNullable(m), List.of()), List.of());
    }

    static Journal killed(String step, String revisionBefore) {
        ColourRun run = new ColourRun(Map.of("api", new ColourRun.ServiceRun("shop:v2", List.of())), "sha256:x", "r2", "c2", null, "t", "v2");
        return new Journal("deploy", "r2", 999_999_999L, "blue", "green", step, "2026-11-29T10:00:00Z", revisionBefore,
                null, "deploy-r2.log", run, null, false, false, false);
    }

    @Test
    void beforeTheFirstDeployThereIsNothingToRecoverAndNothingIsStarted() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, null);
        d.routers.forEach(FakeRouter::stopped);

        Recovery.Report r = deployer(d, new FakeMigrator(d.journal, List.of(), List.of())).recover();

        assertThat(r.neverDeployed()).isTrue();
        assertThat(r.serving()).isNull();
        assertThat(d.routers).allSatisfy(router -> assertThat(router.started).as("a router with nothing to serve").hasValue(0));
        assertThat(Files.exists(d.config.paths().state())).isFalse();
        assertThat(new AuditLog(d.config.stateDir()).read()).isEmpty();

        // deployed once: a router must run, and one that serves no colour (nginx with its site link gone) is pointed at blue
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.forEach(rt -> rt.running.add("api-blue"));
        Recovery.Report after = deployer(d, new FakeMigrator(d.journal, List.of(), List.of())).recover();
        assertThat(after.neverDeployed()).isFalse();
        assertThat(after.serving()).isEqualTo("blue");
        assertThat(d.routers).allSatisfy(router -> {
            assertThat(router.started).hasValue(1);
            assertThat(router.active()).isEqualTo("blue");
        });
    }

    @Test
    void aColourRenamedInBatonYmlUnderTheRouterIsRefusedAndOneOnlyStateJsonNamesIsRepaired() throws Exception {
        // state.json edited by hand to a colour baton.yml does not have: the routers are the truth (before: exit 4)
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        d.runtimes.get(0).running.add("api-blue");
        new DeployState("purple", null, "a1", "r1", null, "t").save(d.config.stateDir());
        Recovery.Report repaired = deployer(d, null).recover();
        assertThat(repaired.serving()).isEqualTo("blue");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");

        // the router serves a colour baton.yml no longer names: renamed under it
        FakeDeploy renamed = new FakeDeploy(Files.createDirectories(dir.resolve("renamed")), FakeDeploy.CONFIG.replace("{blue:", "{left:")
                .replace(", green:", ", right:"), 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(renamed.config.stateDir());
        assertThatThrownBy(() -> deployer(renamed, null).recover())
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.exitCode()).isEqualTo(dev.baton.ExitCode.USAGE))
                .hasMessageContaining("blue serves, but it is not a colour of baton.yml any more (services.*.ports name left and right)");
    }

    @Test
    void killedWhileDrainingTheOldColourIsFinishedForward() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "green"); // the routers were switched before the kill
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        killed("DrainAndStop", "a1").save(d.config.stateDir());
        // written when DrainAndStop began, 95 s after the deploy's start
        Files.setLastModifiedTime(d.config.paths().journal(), FileTime.from(Instant.parse("2026-11-29T10:01:35Z")));
        d.runtimes.forEach(r -> r.running.addAll(List.of("api-blue", "api-green")));

        Recovery.Report r = deployer(d, new FakeMigrator(d.journal, List.of("b2"), List.of("b2"))).recover();

        assertThat(r.serving()).isEqualTo("green");
        DeployState after = DeployState.load(d.config.stateDir());
        assertThat(after.active()).isEqualTo("green");
        assertThat(after.previous()).isEqualTo("blue");
        assertThat(after.release()).isEqualTo("r2");
        assertThat(after.revision()).isEqualTo("b2");
        assertThat(after.colour("green").orElseThrow().services().get("api").image()).as("what green runs, for a later rollback")
                .isEqualTo("shop:v2");
        assertThat(after.colour("green").orElseThrow().version()).isEqualTo("v2");
        assertThat(d.runtimes).allSatisfy(rt -> assertThat(rt.running).containsExactly("api-green"));
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
        assertThat(new AuditLog(d.config.stateDir()).read()).singleElement().satisfies(rec -> assertThat(rec)
                .containsEntry("outcome", "interrupted").containsEntry("failed_step", "DrainAndStop").containsEntry("active", "green")
                .containsEntry("version", "v2")
                .satisfies(x -> assertThat(((Number) x.get("ms")).longValue()).as("how long the killed deploy ran").isEqualTo(95_000)));
    }

    @Test
    void killedDuringTheMigrationStopsTheTargetAndRevertsTheSchema() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        killed("Migrate", "a1").save(d.config.stateDir());
        d.runtimes.get(0).running.addAll(List.of("api-blue", "api-green"));
        FakeMigrator m = new FakeMigrator(d.journal, List.of("b2"), List.of("b2"));

        Recovery.Report r = deployer(d, m).recover();

        assertThat(r.serving()).isEqualTo("blue");
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains("reverted the schema to a1"));
        assertThat(m.schema()).containsExactly("a1");
        assertThat(d.runtimes.get(0).running).containsExactly("api-blue");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");
    }

    @Test
    void aRollbackKilledBeforeTheSwitchStopsWhatItStartedAndOnlyThat() throws Exception {
        for (boolean started : new boolean[] {true, false}) {
            FakeDeploy d = new FakeDeploy(Files.createDirectories(dir.resolve("started-" + started)), 1, "green");
            new DeployState("green", "blue", "b2", "r2", null, "t").save(d.config.stateDir());
            new Journal("rollback", "r3", 999_999_999L, "green", "blue", "WarmUp", "2026-11-29T10:00:00Z", null, null,
                    "rollback-r3.log", null, null, false, false, started).save(d.config.stateDir());
            d.runtimes.get(0).running.addAll(List.of("api-green", "api-blue"));

            Recovery.Report r = deployer(d, null).recover();

            assertThat(r.serving()).isEqualTo("green");
            assertThat(d.runtimes.get(0).running).as(started ? "blue was started by the rollback: stopped again"
                    : "blue ran before the rollback (kept for one): left running")
                    .containsExactlyInAnyOrderElementsOf(started ? List.of("api-green") : List.of("api-green", "api-blue"));
            assertThat(Journal.load(d.config.stateDir())).isEmpty();
        }
    }

    @Test
    void killedAfterTheSwitchWithTheNewColourDeadGoesBackToTheOldOne() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "green");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        killed("Validate", "a1").save(d.config.stateDir());
        d.runtimes.forEach(rt -> rt.running.add("api-blue")); // green crashed

        Recovery.Report r = deployer(d, null).recover();

        assertThat(r.serving()).isEqualTo("blue");
        assertThat(d.routers).allSatisfy(rt -> assertThat(rt.active()).isEqualTo("blue"));
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");
    }

    @Test
    void afterAFailedDeployThatCouldNotSwitchBackTheColourItLeftServesAgain() throws Exception {
        // Validate failed on green and the switch back did not answer: the router came back serving green
        FakeDeploy d = new FakeDeploy(dir, 2, "green");
        new DeployState("green", "blue", "b2", "r2", null, "t").save(d.config.stateDir());
        killed("Validate", "a1").undoFailed("the undo of SwitchTraffic failed: router down", true).save(d.config.stateDir());
        d.runtimes.forEach(rt -> rt.running.addAll(List.of("api-blue", "api-green")));
        FakeMigrator m = new FakeMigrator(d.journal, List.of("b2"), List.of("b2"));

        Recovery.Report r = deployer(d, m).recover();

        // a killed deploy at the same step would keep green (it may have passed); this one failed there
        assertThat(r.serving()).isEqualTo("blue");
        assertThat(d.routers).allSatisfy(rt -> assertThat(rt.active()).isEqualTo("blue"));
        assertThat(d.runtimes).allSatisfy(rt -> assertThat(rt.running).containsExactly("api-blue"));
        assertThat(m.schema()).as("traffic had reached green: its expand-only schema stays").containsExactly("b2");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
    }

    @Test
    void aFailedDeploysUndoIsKeptForLaterWhenNoColourCanServeYet() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        killed("WarmUp", "a1").undoFailed("the undo of Migrate failed: no database", false).save(d.config.stateDir());
        d.runtimes.get(0).failOn("api-blue"); // and blue cannot start yet

        Recovery.Report r = deployer(d, new FakeMigrator(d.journal, List.of("b2"), List.of("b2"))).recover();

        assertThat(r.serving()).isNull();
        assertThat(Journal.load(d.config.stateDir())).as("a later recover still owes the schema's revert")
                .hasValueSatisfying(j -> assertThat(j.failed()).isTrue());
    }

    @Test
    void aStateFileCutShortSaysHowToMoveItAsideAndRecoverThenRebuildsIt() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        d.runtimes.get(0).running.add("api-blue");
        Path state = d.config.paths().state();
        Files.createDirectories(state.getParent());
        Files.writeString(state, "{\"active\": \"blue\", \"colours\": 7"); // a crash mid-write on a filesystem without rename

        assertThatThrownBy(() -> deployer(d, null).recover()).isInstanceOf(BatonException.class)
                .hasMessageContaining(state + " is not readable state")
                .hasMessageContaining("mv " + state + " " + state + ".broken) and run baton recover");

        Files.move(state, Path.of(state + ".broken"));
        Recovery.Report r = deployer(d, null).recover();
        assertThat(r.serving()).isEqualTo("blue");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");
    }

    @Test
    void afterARebootTheRouterAndTheServingColourAreStartedAgainAsItRan() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "green");
        d.routers.forEach(FakeRouter::stopped); // nothing runs: the machines rebooted
        ColourRun v2 = new ColourRun(Map.of("api", new ColourRun.ServiceRun("shop:v2", List.of("serve", "--v2"))),
                ColourRun.envDigest(d.config.services().values()), "r2", null, "b2", "t", "2.0");
        new DeployState("green", "blue", "b2", "r2", null, "t").with("green", v2).save(d.config.stateDir());

        Recovery.Report r = deployer(d, null).recover();

        assertThat(r.serving()).isEqualTo("green");
        assertThat(d.routers).allSatisfy(rt -> {
            assertThat(rt.started).hasValue(1);
            assertThat(rt.active()).isEqualTo("green");
        });
        assertThat(d.runtimes).allSatisfy(rt -> {
            assertThat(rt.running).containsExactly("api-green");
            assertThat(rt.startedWith.get("api-green").image()).as("what green ran, not today's baton.yml").isEqualTo("shop:v2");
        });
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains("started api green again as it last ran (shop:v2, version 2.0)"));
        assertThat(r.actions()).noneSatisfy(a -> assertThat(a).contains("another environment"));
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("green");
    }

    @Test
    void aRestartWithAnotherEnvironmentThanTheColourRanSaysSo() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        d.routers.forEach(FakeRouter::stopped);
        ColourRun v2 = new ColourRun(Map.of("api", new ColourRun.ServiceRun("shop:v2", List.of())), "sha256:another", "r2", null,
                "b2", "t", "2.0");
        new DeployState("green", "blue", "b2", "r2", null, "t").with("green", v2).save(d.config.stateDir());

        Recovery.Report r = deployer(d, null).recover();

        assertThat(r.serving()).isEqualTo("green");
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains(
                "green last ran with another environment than baton.yml gives it today: a value of the services' env: differs;"
                        + " its values are not stored (they may be secrets), so today's are used"));
    }

    @Test
    void aServingColourThatExitsAgainAfterItsStartIsNamedAtOnceWithItsLog() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, CONFIG_WITH_HEALTH, 1, "green");
        new DeployState("green", "blue", "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).exitsOn("api-green");
        long start = System.nanoTime();

        Recovery.Report r = deployer(d, null).recover();

        assertThat(r.serving()).isNull();
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains(
                "could not start green again: api green exited after its start (/fake/web-1/api-green.log: (fake log of api-green))"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not at deadlines.health").isLessThan(Duration.ofSeconds(20));
    }

    /** FakeDeploy's config with a health check, so that a colour must answer before it serves. */
    static final String CONFIG_WITH_HEALTH = FakeDeploy.CONFIG.replace("health: none", "health: [/health]")
            + "deadlines: {health: 30s}\n";

    @Test
    void withNoColourThatCanServeItSaysSoAndChangesNothing() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        new DeployState("green", "blue", "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).failOn("api-green"); // its image is gone, say

        Recovery.Report r = deployer(d, null).recover();

        assertThat(r.serving()).isNull();
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains("no colour can serve", "api green does not run"));
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains("could not start green again: api-green would not start"));
        assertThat(d.routers.get(0).active()).isEqualTo("green");
    }

    @Test
    void aLostStateFileIsRebuiltFromTheRouterSoTheNextDeployDrainsTheLiveColour() throws Exception {
        // before: no state.json made the next deploy a first deploy, which switched away from the
        // live colour without draining it and left it running
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        d.runtimes.get(0).running.add("api-blue");

        DeployOutcome o = deployer(d, null).deploy(null);

        assertThat(o.ok()).isTrue();
        assertThat(o.from()).isEqualTo("blue");
        assertThat(d.runtimes.get(0).running).containsExactly("api-green");
        assertThat(d.journal.entries()).contains("web-1 stop api-blue");
        DeployState after = DeployState.load(d.config.stateDir());
        assertThat(after.active()).isEqualTo("green");
        assertThat(after.previous()).isEqualTo("blue");
    }

    @Test
    void aRollbackStartsTheImageTheColourRanNotTodays() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        ColourRun v1 = new ColourRun(Map.of("api", new ColourRun.ServiceRun("shop:v1", List.of("serve", "--v1"))),
                ColourRun.envDigest(d.config.services().values()), "r1", null, "a1", "t", "1.0");
        new DeployState("green", "blue", "a1", "r2", null, "t").with("blue", v1).save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-green");

        DeployOutcome o = deployer(d, null).rollback();

        assertThat(o.ok()).as(String.valueOf(o.result().error())).isTrue();
        var started = d.runtimes.get(0).startedWith.get("api-blue");
        assertThat(started.image()).isEqualTo("shop:v1");
        assertThat(started.argv()).containsExactly("serve", "--v1");
        assertThat(started.port("blue")).isEqualTo(FakeDeploy.BLUE);
    }
}
