package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ExitCode;
import dev.baton.deploy.fakes.FakeDeploy;
import dev.baton.deploy.fakes.FakeHost;
import dev.baton.deploy.fakes.FakeMigrator;
import dev.baton.deploy.lock.FileDeployLock;
import dev.baton.deploy.pipeline.DeployEvent;
import dev.baton.deploy.pipeline.Pipeline;
import dev.baton.deploy.port.DeployLock;
import dev.baton.deploy.port.Notice;
import dev.baton.deploy.port.Notifier;
import dev.baton.deploy.port.Outcome;
import dev.baton.deploy.state.AuditLog;
import dev.baton.deploy.state.DeployState;
import dev.baton.deploy.state.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole deploys and rollbacks through the real pipeline and steps, on fakes of the ports. */
class DeployerTest {
    @TempDir
    Path dir;

    final List<Notice> notices = new ArrayList<>();

    Deployer deployer(FakeDeploy d, FakeMigrator m) {
        return deployer(d, m, () -> new FileDeployLock(d.config.stateDir()));
    }

    Deployer deployer(FakeDeploy d, FakeMigrator m, Supplier<DeployLock> lock) {
        Notifier told = new Notifier() {
            @Override
            public String describe() {
                return "test";
            }

            @Override
            public void send(Notice n) {
                notices.add(n);
            }
        };
        return new Deployer(d.config, new Deployer.Ports(d.servers, d.here, lock,
                log -> Optional.ofNullable(m), List.of(told)), List.of());
    }

    /** One server: blue serves, at schema a1, and its router refuses to switch (a deploy then fails at SwitchTraffic). */
    FakeDeploy blueServingWithARouterThatRefusesTheSwitch() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        d.routers.get(0).refusing();
        return d;
    }

    @Test
    void aDeploySwitchesEveryServerStopsTheOldColourAndRecordsTheState() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.forEach(r -> r.running.add("api-blue"));
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2"));

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.ok()).isTrue();
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("green"));
        assertThat(d.runtimes).allSatisfy(r -> assertThat(r.running).containsExactly("api-green"));
        DeployState after = DeployState.load(d.config.stateDir());
        assertThat(after.active()).isEqualTo("green");
        assertThat(after.previous()).isEqualTo("blue");
        assertThat(after.revision()).isEqualTo("b2");
        var record = new AuditLog(d.config.stateDir()).read().get(0);
        assertThat(record).containsEntry("kind", "deploy").containsEntry("outcome", "succeeded")
                .containsEntry("revision_before", "a1").containsEntry("revision", "b2");
        assertThat(notices).singleElement().satisfies(n -> assertThat(n.outcome()).isEqualTo(Outcome.SUCCEEDED));
    }

    @Test
    void theCliLowersItselfJustBeforeTheTargetStartsAndRaisesItselfOnceTrafficHasMoved() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.forEach(r -> r.running.add("api-blue"));
        Deployer deployer = deployer(d, new FakeMigrator(d.journal, List.of("a1"), List.of("b2")));
        deployer.beforeTargetStarts(() -> d.journal.add("CLI low"));
        deployer.afterTrafficMoves(() -> d.journal.add("CLI normal"));

        assertThat(deployer.deploy(null).ok()).isTrue();

        List<String> j = d.journal.entries();
        assertThat(j).containsOnlyOnce("CLI low", "CLI normal");
        assertThat(j.indexOf("CLI low")).isLessThan(j.indexOf(j.stream().filter(e -> e.contains("start api-green")).findFirst().orElseThrow()));
        assertThat(j.indexOf("CLI normal")).isGreaterThan(j.lastIndexOf(j.stream().filter(e -> e.contains("switch to green"))
                .reduce((a, b) -> b).orElseThrow())).isLessThan(j.indexOf(j.stream().filter(e -> e.contains("stop api-blue"))
                .findFirst().orElseThrow()));
    }

    @Test
    void aSwitchThatFailsLeavesTheCliLow() throws Exception {
        FakeDeploy d = blueServingWithARouterThatRefusesTheSwitch();
        Deployer deployer = deployer(d, new FakeMigrator(d.journal, List.of("a1"), List.of("b2")));
        deployer.afterTrafficMoves(() -> d.journal.add("CLI normal"));

        DeployOutcome o = deployer.deploy(null);
        assertThat(o.ok()).isFalse();
        assertThat(o.result().failedStep()).isEqualTo("SwitchTraffic");
        assertThat(d.journal.entries()).doesNotContain("CLI normal");
    }

    @Test
    void aFailedMigrationStopsTheNewColourAndLeavesStateAndTrafficAsTheyWere() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        String stateBefore = Files.readString(d.config.paths().state());
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2")).failing();

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.ok()).isFalse();
        assertThat(o.result().failedStep()).isEqualTo("Migrate");
        assertThat(o.result().rolledBack()).isTrue();
        assertThat(d.routers.get(0).active()).isEqualTo("blue");
        assertThat(d.runtimes.get(0).running).isEmpty();
        assertThat(m.schema()).containsExactly("a1");
        assertThat(Files.readString(d.config.paths().state())).isEqualTo(stateBefore);
        assertThat(o.result().events()).filteredOn(e -> e.kind() == DeployEvent.Kind.UNDONE).extracting(DeployEvent::step)
                .containsExactly("StartTarget");
        assertThat(new AuditLog(d.config.stateDir()).read().get(0)).containsEntry("outcome", "rolled_back")
                .containsEntry("failed_step", "Migrate");
    }

    @Test
    void aMigrationThatFailsAfterApplyingSomeRevisionsRevertsThemBeforeTheNewColourStops() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("c3")).failingAfter(List.of("b2"));

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("Migrate");
        assertThat(m.schema()).as("b2, applied by this run before c3 failed, is reverted").containsExactly("a1");
        assertThat(d.journal.entries()).containsSubsequence("migrate [a1] -> [b2], then failed", "revert to [a1]");
        assertThat(o.result().error()).hasMessageContaining("Baton then reverted the schema to a1, as the deploy found it");
    }

    @Test
    void aMigrationThatFailsAfterApplyingRevisionsWithoutADownSaysTheyStay() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("c3")).failingAfter(List.of("b2")).irreversible();

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("Migrate");
        assertThat(o.result().rolledBack()).isTrue();
        assertThat(m.schema()).containsExactly("b2");
        assertThat(o.result().error()).hasMessageContaining("revision [c3] failed")
                .hasMessageContaining("they stay (revision c3 has no down migration); blue serves on them");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
    }

    @Test
    void aSwitchRefusedByOneServerRevertsTheMigrationAndSendsTheOthersBack() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 3, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.routers.get(2).refusing();
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2"));

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("SwitchTraffic");
        assertThat(d.routers).allSatisfy(r -> assertThat(r.active()).isEqualTo("blue"));
        assertThat(m.schema()).containsExactly("a1");
        assertThat(d.runtimes).allSatisfy(r -> assertThat(r.running).isEmpty());
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("blue");
    }

    @Test
    void aRollbackRestartsThePreviousColourAndSwitchesBack() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        new DeployState("green", "blue", "b2", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-green");

        DeployOutcome o = deployer(d, null).rollback();

        assertThat(o.ok()).isTrue();
        assertThat(d.routers.get(0).active()).isEqualTo("blue");
        assertThat(d.runtimes.get(0).running).contains("api-blue");
        DeployState after = DeployState.load(d.config.stateDir());
        assertThat(after.active()).isEqualTo("blue");
        assertThat(after.previous()).isEqualTo("green");
        assertThat(after.release()).isEqualTo("r1");
    }

    @Test
    void whenTheSwitchBackFailsTheNewColourIsNotStoppedAndItsSchemaIsKept() throws Exception {
        // the router dies after switching to green; Verify then fails: switching back fails, so
        // green, which traffic may still reach, keeps running with its schema
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        d.routers.get(0).diesAfter(1);
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2")).failingVerify();

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("Verify");
        assertThat(o.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.runtimes.get(0).running).containsExactlyInAnyOrder("api-blue", "api-green");
        assertThat(m.schema()).containsExactly("b2");
        assertThat(o.result().events()).filteredOn(e -> e.kind() == DeployEvent.Kind.NOT_UNDONE).extracting(DeployEvent::step)
                .containsExactly("Migrate", "StartTarget");
        assertThat(DeployState.load(d.config.stateDir()).active()).as("what the router was last told").isEqualTo("green");
    }

    @Test
    void thePlanSaysWhenTheDeployWouldSettleADisagreementFirst() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        assertThat(deployer(d, null).plan(null, false).notes()).isEmpty();

        new DeployState("green", "blue", "a1", "r0", null, "t").save(d.config.stateDir()); // from a backup, say
        assertThat(deployer(d, null).plan(null, false).notes()).containsExactly(
                "what serves is not what state.json says (see baton status): the deploy would settle it first (baton recover)");
        assertThat(d.routers.get(0).active()).as("a plan changes nothing").isEqualTo("blue");
    }

    @Test
    void aMigrationThatCannotBeUndoneLeavesTheJournalAndRecoverFinishesTheUndo() throws Exception {
        // the switch fails, and reverting the migration fails too (the database went away)
        FakeDeploy d = blueServingWithARouterThatRefusesTheSwitch();
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2")).revertFailing(true);

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("SwitchTraffic");
        assertThat(o.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(m.schema()).containsExactly("b2");
        assertThat(d.runtimes.get(0).running).as("what came before the failed undo is left").contains("api-green");
        Journal left = Journal.load(d.config.stateDir()).orElseThrow();
        assertThat(left.failed()).isTrue();
        assertThat(left.writerAlive()).as("its writer is done with it, though this JVM runs on").isFalse();
        assertThat(left.how()).contains("failed at SwitchTraffic", "the undo of Migrate failed: cannot connect");
        assertThat(left.revisionBefore()).isEqualTo("a1");
        assertThat(new AuditLog(d.config.stateDir()).read()).singleElement()
                .satisfies(rec -> assertThat(rec).containsEntry("outcome", "failed"));
        assertThat(deployer(d, m).plan(null, false).notes()).containsExactly(
                "a failed deploy that could not undo itself left a journal: the deploy would settle it first (baton recover)");

        m.revertFailing(false); // the database is back
        Recovery.Report r = deployer(d, m).recover();

        assertThat(r.serving()).isEqualTo("blue");
        assertThat(m.schema()).containsExactly("a1");
        assertThat(d.runtimes.get(0).running).containsExactly("api-blue");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
        assertThat(new AuditLog(d.config.stateDir()).read()).as("the deploy's own record, then the recovery's")
                .extracting(rec -> rec.get("kind")).containsExactly("deploy", "recover");
    }

    @Test
    void aMigrationWithoutADownIsKeptByAFailedDeployWhichOtherwiseUndoesItselfAndLeavesNothingToRecover() throws Exception {
        // the switch fails after a revision with no down migration (a Flyway V file without its U file) ran
        FakeDeploy d = blueServingWithARouterThatRefusesTheSwitch();
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2")).irreversible();

        DeployOutcome o = deployer(d, m).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("SwitchTraffic");
        assertThat(o.result().rolledBack()).as("every step undone, the schema kept").isTrue();
        assertThat(o.result().events()).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo("Migrate");
            assertThat(e.kind()).isEqualTo(DeployEvent.Kind.UNDONE);
            assertThat(e.detail()).isEqualTo("schema kept at b2 (revision b2 has no down migration); blue serves on it, as it has"
                    + " since Migrate");
        });
        assertThat(m.schema()).containsExactly("b2");
        assertThat(d.runtimes.get(0).running).as("the new colour stopped, the old one serving").containsExactly("api-blue");
        assertThat(Files.exists(d.config.paths().journal())).as("nothing left to recover").isFalse();

        // the first deploy: no colour served on it
        FakeDeploy first = new FakeDeploy(Files.createDirectories(dir.resolve("first")), 1, null);
        first.routers.get(0).refusing();
        DeployOutcome o1 = deployer(first, new FakeMigrator(first.journal, List.of(), List.of("a1")).irreversible()).deploy(null);
        assertThat(o1.result().events()).anySatisfy(e -> assertThat(e.detail())
                .isEqualTo("schema kept at a1 (revision a1 has no down migration)"));
    }

    @Test
    void aDeployKilledAfterAMigrationWithoutADownIsRecoveredWithTheSchemaKept() throws Exception {
        FakeDeploy d = blueServingWithARouterThatRefusesTheSwitch();
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2")).revertFailing(true);
        deployer(d, m).deploy(null); // left a journal: its undo of Migrate failed

        Recovery.Report r = deployer(d, new FakeMigrator(d.journal, List.of("b2"), List.of("b2")).irreversible()).recover();

        assertThat(r.serving()).isEqualTo("blue");
        assertThat(r.actions()).anySatisfy(a -> assertThat(a).contains("kept the schema as the deploy migrated it (revision b2 has"
                + " no down migration); blue serves on it"));
        assertThat(d.runtimes.get(0).running).containsExactly("api-blue");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
    }

    @Test
    void theStateFolderKeepsItselfOutOfTheAppsGitRepository() throws Exception {
        Process init = new ProcessBuilder("git", "init", "-q", dir.toString()).redirectErrorStream(true).start();
        assertThat(init.waitFor()).isZero();
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        assertThat(d.config.stateDir()).as("state_dir: .baton, in the checkout").startsWith(dir);
        new DeployState("blue", null, null, "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");

        assertThat(deployer(d, null).deploy(null).outcome()).isEqualTo(Outcome.SUCCEEDED);

        // `git add -A` in the app's checkout would otherwise take the router's token and the logs
        Process status = new ProcessBuilder("git", "-C", dir.toString(), "status", "--porcelain", "--untracked-files=all")
                .redirectErrorStream(true).start();
        String untracked = new String(status.getInputStream().readAllBytes());
        assertThat(status.waitFor()).isZero();
        assertThat(untracked).contains("baton.yml").doesNotContain(dir.relativize(d.config.stateDir()).toString());
        assertThat(d.config.stateDir().resolve(".gitignore")).content().contains("*");
    }

    @Test
    void aCleanupThatFailsAfterTheOldColourStoppedIsDeployedWithFailuresNotRolledBack() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, FakeDeploy.CONFIG + "cleanup: [{command: [prune-old-releases]}]\n", 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        d.hosts.get(0).answering(c -> FakeHost.exit(1, "no such release folder"));

        DeployOutcome o = deployer(d, null).deploy(null);

        assertThat(o.outcome()).isEqualTo(Outcome.DEPLOYED_WITH_FAILURES);
        assertThat(o.exitCode()).isEqualTo(ExitCode.DEPLOYED_WITH_FAILURES);
        assertThat(o.result().failedStep()).isEqualTo("Cleanup");
        assertThat(d.routers.get(0).active()).isEqualTo("green");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("green");
        assertThat(notices).singleElement().satisfies(n -> assertThat(n.text()).startsWith("deployed: blue → green in ")
                .contains("then Cleanup failed"));
        assertThat(new AuditLog(d.config.stateDir()).read().get(0)).containsEntry("outcome", "deployed_with_failures");
    }

    @Test
    void aStateFileThatCannotBeWrittenAfterTheSwitchKeepsTheJournalForRecover() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        // while the old colour stops, state.json becomes something that cannot be replaced by a file
        d.runtimes.get(0).beforeStop = () -> {
            try {
                Files.deleteIfExists(d.config.paths().state());
                Files.createDirectories(d.config.paths().state().resolve("in-the-way"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        DeployOutcome o = deployer(d, null).deploy(null);

        assertThat(o.outcome()).isEqualTo(Outcome.DEPLOYED_WITH_FAILURES);
        assertThat(o.result().failedStep()).isEqualTo("State");
        assertThat(o.result().error()).hasMessageContaining("green serves: run baton recover");
        assertThat(Files.exists(d.config.paths().journal())).as("kept for baton recover").isTrue();

        d.runtimes.get(0).beforeStop = () -> { };
        Files.delete(d.config.paths().state().resolve("in-the-way"));
        Files.delete(d.config.paths().state());
        Recovery.Report r = deployer(d, null).recover();
        assertThat(r.serving()).isEqualTo("green");
        assertThat(DeployState.load(d.config.stateDir()).active()).isEqualTo("green");
    }

    /** A lock whose session ends before the {@code lostAt}-th check; re-taken then, or held by another deploy. */
    static DeployLock losing(int lostAt, boolean retaken) {
        return new DeployLock() {
            int checks;

            @Override
            public Optional<String> holder() {
                return Optional.empty();
            }

            @Override
            public void acquire(String who, Duration wait) {
            }

            @Override
            public void check() {
                if (++checks == lostAt) {
                    throw new Lost("the deploy lock was lost" + (retaken ? "" : ", and baton deploy demo by b holds it now"), retaken);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    static final int BEFORE_WARM_UP = Deployer.deploySteps().stream().map(s -> s.name()).toList().indexOf("WarmUp") + 1;

    @Test
    void aLostLockThatNoOtherDeployTookIsTakenAgainAndTheDeployUndone() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2"));

        DeployOutcome o = deployer(d, m, () -> losing(BEFORE_WARM_UP, true)).deploy(null);

        assertThat(o.result().failedStep()).isEqualTo("WarmUp");
        assertThat(o.result().rolledBack()).isTrue();
        assertThat(o.result().error().getMessage()).contains("the deploy lock was lost");
        assertThat(m.schema()).containsExactly("a1");
        assertThat(d.runtimes.get(0).running).containsExactly("api-blue");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
    }

    @Test
    void aLostLockThatAnotherDeployTookLeavesEverythingToItsRecovery() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        FakeMigrator m = new FakeMigrator(d.journal, List.of("a1"), List.of("b2"));

        DeployOutcome o = deployer(d, m, () -> losing(BEFORE_WARM_UP, false)).deploy(null);

        // undoing now would race the deploy that holds the lock (both aim at green, and the
        // migration is shared): nothing is undone, and the journal says what was left
        assertThat(o.result().failedStep()).isEqualTo("WarmUp");
        assertThat(o.result().rolledBack()).isFalse();
        assertThat(o.result().error()).isInstanceOf(Pipeline.Abandon.class)
                .hasMessageContaining("holds it now").hasMessageContaining("undoes nothing");
        assertThat(o.result().events()).filteredOn(e -> e.kind() == DeployEvent.Kind.NOT_UNDONE).extracting(DeployEvent::step)
                .contains("Migrate", "StartTarget");
        assertThat(m.schema()).containsExactly("b2");
        assertThat(d.runtimes.get(0).running).contains("api-green");
        assertThat(Journal.load(d.config.stateDir())).get()
                .satisfies(j -> assertThat(j.how()).isEqualTo("stopped at WarmUp (its deploy lock was lost)"));

        // the holder's recovery (here: baton recover) settles it
        Recovery.Report r = deployer(d, m).recover();
        assertThat(r.serving()).isEqualTo("blue");
        assertThat(m.schema()).containsExactly("a1");
        assertThat(d.runtimes.get(0).running).containsExactly("api-blue");
        assertThat(new AuditLog(d.config.stateDir()).read()).singleElement().satisfies(rec -> assertThat(rec)
                .containsEntry("outcome", "interrupted")
                .hasEntrySatisfying("error", e -> assertThat(e.toString()).startsWith("stopped at WarmUp (its deploy lock was lost)")));
    }

    @Test
    void aLockLostAfterTheSwitchIsReportedAndTheDeployFinishes() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r0", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        int beforeVerify = Deployer.deploySteps().stream().map(s -> s.name()).toList().indexOf("Verify") + 1;

        DeployOutcome o = deployer(d, null, () -> losing(beforeVerify, false)).deploy(null);

        assertThat(o.ok()).as(String.valueOf(o.result().error())).isTrue();
        assertThat(o.result().events()).anySatisfy(e -> assertThat(e.step() + " " + e.kind() + " " + e.detail())
                .startsWith("Guard FAILED the deploy lock was lost").contains("the deploy goes on"));
        assertThat(d.runtimes.get(0).running).containsExactly("api-green");
        assertThat(Files.exists(d.config.paths().journal())).isFalse();
    }
}
