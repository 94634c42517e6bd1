package dev.baton.deploy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineTest {
    /** A step that records what happened to it in the shared journal. */
    record Recorded(String name, boolean fails, boolean undoFails, boolean finalizes, boolean skips) implements Reversible<List<String>> {
        static Recorded ok(String name) {
            return new Recorded(name, false, false, false, false);
        }

        @Override
        public StepResult run(List<String> journal) {
            journal.add("run " + name);
            if (fails) {
                throw new IllegalStateException(name + " broke");
            }
            return skips ? StepResult.skipped() : StepResult.done(name + " done");
        }

        @Override
        public String undo(List<String> journal) {
            journal.add("undo " + name);
            if (undoFails) {
                throw new IllegalStateException("undo of " + name + " broke");
            }
            return "";
        }
    }

    /** A step whose rest runs beside the next ones until {@code until}: it waits for {@code go} (a later step opens it). */
    record Beside(String name, String until, CountDownLatch go, boolean fails) implements Step<List<String>> {
        @Override
        public StepResult run(List<String> journal) {
            journal.add("run " + name);
            return new StepResult.Beside(until, () -> {
                if (!go.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the steps after " + name + " did not run meanwhile");
                }
                journal.add("rest of " + name);
                if (fails) {
                    throw new IllegalStateException(name + " found an error");
                }
                return StepResult.done(name + " verdict");
            });
        }
    }

    /** A step during which {@code meanwhile} happens (a Ctrl-C, a lost lock...). */
    record Meanwhile(String name, Runnable meanwhile) implements Step<List<String>> {
        @Override
        public StepResult run(List<String> journal) {
            journal.add("run " + name);
            meanwhile.run();
            return StepResult.done("");
        }
    }

    /** Opens a latch when it runs; undone like a started colour. */
    record Opens(String name, CountDownLatch latch) implements Reversible<List<String>> {
        @Override
        public StepResult run(List<String> journal) {
            return new Meanwhile(name, latch::countDown).run(journal);
        }

        @Override
        public String undo(List<String> journal) {
            journal.add("undo " + name);
            return "";
        }
    }

    @Test
    void aStepBesideTheNextOnesRunsWhileTheyRunAndItsVerdictIsTakenBeforeItsUntilStep() {
        List<String> journal = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(new Beside("lint", "migrate", started, false),
                new Opens("start", started), Recorded.ok("health"), Recorded.ok("migrate")), List.of()).run(journal);
        assertThat(r.ok()).isTrue();
        assertThat(journal).containsSubsequence("run lint", "run start", "rest of lint").containsSubsequence("rest of lint", "run migrate");
        assertThat(r.events()).extracting(e -> e.step() + " " + e.kind()).containsSubsequence("lint STARTED", "start SUCCEEDED",
                "health SUCCEEDED", "lint SUCCEEDED", "migrate STARTED");
        assertThat(r.events()).filteredOn(e -> e.step().equals("lint") && e.kind() == DeployEvent.Kind.SUCCEEDED)
                .singleElement().satisfies(e -> assertThat(e.detail()).isEqualTo("lint verdict"));
    }

    @Test
    void aStepBesideThatFailsUndoesTheStepsRunMeanwhileAndTheUntilStepNeverRuns() {
        List<String> journal = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), new Beside("lint", "migrate", started, true),
                new Opens("start", started), Recorded.ok("health"), Recorded.ok("migrate")), List.of()).run(journal);
        assertThat(r.ok()).isFalse();
        assertThat(r.failedStep()).isEqualTo("lint");
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.error()).hasMessage("lint found an error");
        assertThat(journal).doesNotContain("run migrate").endsWith("undo health", "undo start", "undo a");
    }

    @Test
    void aRunThatFailsMeanwhileStillLetsTheStepBesideFinish() {
        List<String> journal = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(new Beside("lint", "migrate", started, false),
                new Opens("start", started), new Recorded("health", true, false, false, false), Recorded.ok("migrate")), List.of()).run(journal);
        assertThat(r.failedStep()).isEqualTo("health");
        assertThat(journal).contains("rest of lint", "undo start").doesNotContain("run migrate");
    }

    @Test
    void ctrlCWhileAStepRunsBesideUndoesAndWaitsForIt() {
        List<String> journal = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        Step<List<String>> ctrlC = new Meanwhile("health", () -> Thread.currentThread().interrupt()); // Ctrl-C arrives while it runs
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(new Beside("lint", "migrate", started, false),
                new Opens("start", started), ctrlC, Recorded.ok("migrate")), List.of()).run(journal);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).hasMessageContaining("interrupted");
        assertThat(r.rolledBack()).isTrue();
        assertThat(journal).contains("rest of lint", "undo start").doesNotContain("run migrate");
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void successRunsEveryStepInOrderAndUndoesNothing() {
        List<String> journal = new ArrayList<>();
        List<DeployEvent> seen = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), Recorded.ok("b")), List.of(seen::add)).run(journal);
        assertThat(r.ok()).isTrue();
        assertThat(journal).containsExactly("run a", "run b");
        assertThat(seen).extracting(DeployEvent::kind).containsExactly(DeployEvent.Kind.STARTED, DeployEvent.Kind.SUCCEEDED,
                DeployEvent.Kind.STARTED, DeployEvent.Kind.SUCCEEDED);
        assertThat(r.events()).isEqualTo(seen);
    }

    @Test
    void failureUndoesDoneStepsNewestFirstAndSkipsSkippedOnes() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"),
                new Recorded("s", false, false, false, true), Recorded.ok("b"),
                new Recorded("c", true, false, false, false), Recorded.ok("d")), List.of()).run(journal);
        assertThat(r.ok()).isFalse();
        assertThat(r.failedStep()).isEqualTo("c");
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.error()).hasMessage("c broke");
        assertThat(journal).containsExactly("run a", "run s", "run b", "run c", "undo b", "undo a");
    }

    @Test
    void aFailingUndoLeavesTheOlderStepsAsTheyAre() {
        // b is the switch back that failed: a (starting the new colour) must not be undone, since
        // traffic may be on what it started
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"),
                new Recorded("b", false, true, false, false), new Recorded("c", true, false, false, false)), List.of()).run(journal);
        assertThat(journal).containsExactly("run a", "run b", "run c", "undo b");
        assertThat(r.rolledBack()).isFalse();
        assertThat(r.events()).filteredOn(e -> e.kind() == DeployEvent.Kind.UNDO_FAILED)
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("undo of b broke"));
        assertThat(r.events()).filteredOn(e -> e.kind() == DeployEvent.Kind.NOT_UNDONE)
                .singleElement().satisfies(e -> assertThat(e.step()).isEqualTo("a"));
    }

    @Test
    void afterAFinalizingStepFailuresAreNotRolledBack() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"),
                new Recorded("stop-old", false, false, true, false), new Recorded("cleanup", true, false, false, false)), List.of()).run(journal);
        assertThat(r.rolledBack()).isFalse();
        assertThat(journal).containsExactly("run a", "run stop-old", "run cleanup");
    }

    /** A step with nothing to take back: run, never undone, never listed as undone. */
    record Plain(String name) implements Step<List<String>> {
        @Override
        public StepResult run(List<String> journal) {
            journal.add("run " + name);
            return StepResult.done("");
        }
    }

    @Test
    void onlyReversibleStepsAreUndoneAndListedAsUndone() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), new Plain("p"),
                new Recorded("c", true, false, false, false)), List.of()).run(journal);
        assertThat(journal).containsExactly("run a", "run p", "run c", "undo a");
        assertThat(r.events()).filteredOn(e -> e.kind() == DeployEvent.Kind.UNDONE).extracting(DeployEvent::step).containsExactly("a");
    }

    /** Ctrl-C arrives while this step runs (the CLI interrupts the deploying thread). */
    record Interrupting(String name, boolean finalizes) implements Step<List<String>> {
        @Override
        public StepResult run(List<String> journal) {
            journal.add("run " + name);
            Thread.currentThread().interrupt();
            return StepResult.done("");
        }
    }

    @Test
    void anInterruptBeforeTheNextStepUndoesWhatWasDone() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), new Interrupting("ctrl-c", false),
                Recorded.ok("b")), List.of()).run(journal);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(r.ok()).isFalse();
        assertThat(r.failedStep()).isEqualTo("b");
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.error()).hasMessageContaining("interrupted (Ctrl-C or SIGTERM) before b");
        assertThat(journal).containsExactly("run a", "run ctrl-c", "undo a");
    }

    @Test
    void anInterruptAfterTheFinalizingStepLetsTheRestFinish() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), new Interrupting("drain", true),
                new Plain("cleanup")), List.of()).run(journal);
        Thread.interrupted();
        assertThat(r.ok()).isTrue();
        assertThat(journal).containsExactly("run a", "run drain", "run cleanup");
    }

    @Test
    void aGuardThatFailsBeforeThePointOfNoReturnUndoesAndAfterItIsOnlyRecorded() {
        List<String> journal = new ArrayList<>();
        boolean[] lost = {false};
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"), new Meanwhile("b", () -> lost[0] = true), // the lock's session ends while b runs
                Recorded.ok("switch")), List.of(), next -> {
            if (lost[0]) {
                throw new IllegalStateException("the deploy lock was lost");
            }
        }).run(journal);
        assertThat(r.failedStep()).isEqualTo("switch");
        assertThat(r.rolledBack()).isTrue();
        assertThat(r.error()).hasMessage("the deploy lock was lost");
        assertThat(journal).containsExactly("run a", "run b", "undo a");

        List<String> after = new ArrayList<>();
        PipelineResult finished = new Pipeline<>(List.<Step<List<String>>>of(new Recorded("drain", false, false, true, false),
                Recorded.ok("cleanup")), List.of(), next -> {
            if (!after.isEmpty()) {
                throw new IllegalStateException("the deploy lock was lost");
            }
        }).run(after);
        assertThat(finished.ok()).isTrue();
        assertThat(after).containsExactly("run drain", "run cleanup");
        assertThat(finished.events()).filteredOn(e -> e.step().equals("Guard")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("the deploy lock was lost", "the deploy goes on"));
    }

    @Test
    void ctrlCWhileTheFinalizingStepRunsDoesNotCutItShort() {
        // Ctrl-C interrupts the deploying thread while the drain runs
        Thread deploying = Thread.currentThread();
        Step<List<String>> drain = new Step<>() {
            @Override
            public String name() {
                return "drain";
            }

            @Override
            public boolean finalizes() {
                return true;
            }

            @Override
            public StepResult run(List<String> journal) {
                deploying.interrupt();
                // a drain's wait ends at once when its thread is interrupted: this step's must not be
                // (before, the step ran on the deploying thread itself, so the flag was set here)
                journal.add(Thread.currentThread().isInterrupted() ? "drain cut short" : "drained, then stopped the old colour");
                return StepResult.done("");
            }
        };
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("switch"), drain, new Plain("cleanup")), List.of())
                .run(journal);
        Thread.interrupted();
        assertThat(r.ok()).isTrue();
        assertThat(journal).containsExactly("run switch", "drained, then stopped the old colour", "run cleanup");
    }

    @Test
    void aFinalizingStepThatFailsHalfwayIsNotUndone() {
        // the old colour may be stopped on some hosts already: switching back would send traffic to it
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("switch"),
                new Recorded("stop-old", true, false, true, false)), List.of()).run(journal);
        assertThat(r.failedStep()).isEqualTo("stop-old");
        assertThat(r.rolledBack()).isFalse();
        assertThat(r.finalized()).isTrue();
        assertThat(journal).containsExactly("run switch", "run stop-old");
    }
}
