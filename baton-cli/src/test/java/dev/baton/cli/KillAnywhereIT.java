package dev.baton.cli;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kill -9 of a deploy at each step up to the migration ({@link KillDeployBase}). */
class KillAnywhereIT extends KillDeployBase {
    @Test
    void aDeployKilledAtAnyStepUpToTheMigrationIsSettledByOneRecoverWithNoFailedRequest() throws Exception {
        killAtEach(STEPS.subList(0, STEPS.indexOf("Migrate") + 1), List.of("StartTarget", "Migrate"));
    }
}
