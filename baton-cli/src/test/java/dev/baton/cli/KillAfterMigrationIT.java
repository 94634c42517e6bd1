package dev.baton.cli;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kill -9 of a deploy at each step after the migration, WarmUp to Release ({@link KillDeployBase}). */
class KillAfterMigrationIT extends KillDeployBase {
    @Test
    void aDeployKilledAtAnyStepAfterTheMigrationIsSettledByOneRecoverWithNoFailedRequest() throws Exception {
        killAtEach(STEPS.subList(STEPS.indexOf("Migrate") + 1, STEPS.size()), List.of("SwitchTraffic", "DrainAndStop"));
    }
}
