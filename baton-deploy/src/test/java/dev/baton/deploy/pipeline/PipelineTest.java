package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {
    /** A step that records what happened to it in the shared journal. */
    record Recorded(String name, boolean fails, boolean undoFails, boolean finalizes, boolean skips) implements Step<List<String>> {
        static Recorded ok(String name) {
            return new Recorded(name, false, false, false, false);
        }

        @Override
        public String run(List<String> journal) {
            journal.add("run " + name);
            if (fails) {
                throw new IllegalStateException(name + " broke");
            }
            return skips ? SKIPPED : name + " done";
        }

        @Override
        public void undo(List<String> journal) {
            journal.add("undo " + name);
            if (undoFails) {
                throw new IllegalStateException("undo of " + name + " broke");
            }
        }
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
    void aFailingUndoIsRecordedAndTheOthersStillRun() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"),
                new Recorded("b", false, true, false, false), new Recorded("c", true, false, false, false)), List.of()).run(journal);
        assertThat(journal).containsExactly("run a", "run b", "run c", "undo b", "undo a");
        assertThat(r.events()).filteredOn(e -> e.kind() == DeployEvent.Kind.UNDO_FAILED)
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("undo of b broke"));
    }

    @Test
    void afterAFinalizingStepFailuresAreNotRolledBack() {
        List<String> journal = new ArrayList<>();
        PipelineResult r = new Pipeline<>(List.<Step<List<String>>>of(Recorded.ok("a"),
                new Recorded("stop-old", false, false, true, false), new Recorded("cleanup", true, false, false, false)), List.of()).run(journal);
        assertThat(r.rolledBack()).isFalse();
        assertThat(journal).containsExactly("run a", "run stop-old", "run cleanup");
    }
}
