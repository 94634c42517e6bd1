package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.pipeline.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * kill -9 of {@code baton deploy} at every step of the deploy, under a steady request loop
 * through the router: each time {@code baton status} says the deploy was interrupted, one
 * {@code baton recover} leaves a healthy colour serving with state.json agreeing, and no request
 * fails from start to end. {@link KillAnywhereIT} does the steps up to the migration,
 * {@link KillAfterMigrationIT} the rest: two classes, so that they run side by side.
 */
abstract class KillDeployBase extends DemoTestBase {
    static final List<String> STEPS = Deployer.deploySteps().stream().map(Step::name).toList();

    /** Kills a v2 deploy at each of {@code steps} in turn, recovering after each; {@code mustLand}: steps a kill must have hit. */
    void killAtEach(List<String> steps, List<String> mustLand) throws Exception {
        demo.deployed(1);
        List<String> killedAt = new ArrayList<>();
        try (LoadGenerator load = new LoadGenerator(List.of(demo.ws.publicUri().resolve("/api/version")), 2, 100)) {
            load.start();
            for (String step : steps) {
                // A short step (SwitchTraffic takes milliseconds) can be over before the poll sees it:
                // one that must be hit is tried again, each try recovered and checked in full.
                for (int attempt = mustLand.contains(step) ? 4 : 1; attempt > 0; attempt--) {
                    String at = killAndRecover(step);
                    if (at == null) {
                        break;
                    }
                    killedAt.add(at);
                    if (at.equals(step)) {
                        break;
                    }
                }
            }
            BatonProcess.Result last = demo.deploy(2);
            assertThat(last.exitCode()).as("the next deploy after all that: " + last.err()).isZero();
            load.close();
            assertThat(load.stats().failed()).as("failed requests: " + load.failures(5)).isZero();
            assertThat(load.stats().sent()).isGreaterThan(100);
        }
        assertThat(killedAt).as("steps a kill landed in").containsAll(mustLand);
        assertThat(demo.inProcess(2, "history").out()).contains("interrupted");
    }

    /** One deploy killed at {@code step} or later and recovered; returns where it was killed, or null when it finished first. */
    private String killAndRecover(String step) throws Exception {
        Path journal = demo.ws.stateDir().resolve("journal.json");
        Path out = work.resolve("deploy-" + step + ".out");
        Process deploy = demo.deployInBackground(2).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        String at = killAtOrAfter(deploy, journal, step);
        if (at == null) { // the deploy finished before it reached the step: nothing to recover
            assertThat(deploy.exitValue()).as("the deploy for " + step + " finished first, and failed:\n"
                    + Files.readString(out)).isZero();
            assertThat(demo.status().get("journal")).isNull();
            return null;
        }
        BatonProcess.Result status = demo.inProcess(2, "status");
        assertThat(status.exitCode()).as(status.out()).isEqualTo(1);
        assertThat(status.out()).contains("INTERRUPTED: deploy", "was killed at " + at);

        BatonProcess.Result recover = demo.inProcess(2, "recover");
        assertThat(recover.exitCode()).as("killed at " + at + ": " + recover.err()).isZero();

        Map<String, Object> after = demo.status();
        String active = (String) after.get("active");
        @SuppressWarnings("unchecked")
        Map<String, Object> router = (Map<String, Object>) after.get("router");
        assertThat(router.get("active")).as("killed at " + at + ": the router serves what state.json says").isEqualTo(active);
        assertThat(after.get("journal")).isNull();
        assertThat(after.get("lock_holder")).as("killed at " + at + ": the recovery's lock is released").isNull();
        assertThat(demo.get("/api/version")).as("killed at " + at).contains("\"colour\":\"" + active + "\"");
        String other = active.equals("blue") ? "green" : "blue";
        boolean keptForRollback = STEPS.indexOf(at) >= STEPS.indexOf("SwitchTraffic")
                && STEPS.indexOf(at) < STEPS.indexOf("DrainAndStop");
        if (!keptForRollback) {
            assertThat(after.get("services").toString()).as("killed at " + at + ": nothing left running beside "
                    + active).contains(other + "=stopped");
        }
        return at;
    }

    /**
     * Polls the deploy's journal and kills it (SIGKILL) as soon as it is at {@code step} or a later
     * one; returns the step it was killed at, or null when it finished first.
     */
    private static String killAtOrAfter(Process deploy, Path journal, String step) throws Exception {
        int want = STEPS.indexOf(step);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String at = stepIn(journal);
            if (at != null && STEPS.indexOf(at) >= want) {
                deploy.destroyForcibly();
                deploy.waitFor(10, TimeUnit.SECONDS);
                String killed = stepIn(journal);
                return killed != null ? killed : at;
            }
            if (!deploy.isAlive()) {
                return null;
            }
            LockSupport.parkNanos(500_000); // polled, not spun: a spinning test takes a core from the deploy it watches
        }
        deploy.destroyForcibly();
        throw new AssertionError("the deploy did not reach " + step + " within 120 s");
    }

    @SuppressWarnings("unchecked")
    private static String stepIn(Path journal) {
        try {
            return (String) ((Map<String, Object>) Json.parse(Files.readString(journal))).get("step");
        } catch (Exception e) {
            return null; // not there (yet, or any more)
        }
    }
}
