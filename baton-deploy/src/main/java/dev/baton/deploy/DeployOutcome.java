package dev.baton.deploy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.pipeline.PipelineResult;
import dev.baton.deploy.port.Outcome;
import dev.baton.deploy.state.DeployState;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a deploy or rollback ended, for the console summary and the exit code.
 *
 * @param release the release id
 * @param from the colour serving before (null on a first deploy)
 * @param to the colour it aimed at (null when it failed before choosing)
 * @param outcome succeeded, rolled back, failed, refused, or deployed with a later step failed
 * @param result the pipeline's events and failure
 * @param state the state after it (unchanged when it failed before traffic moved)
 * @param log the full log
 * @param elapsed wall time, lock included
 */
public record DeployOutcome(String release, String from, String to, Outcome outcome, PipelineResult result, DeployState state,
                            Path log, Duration elapsed) {
    public boolean ok() {
        return result.ok();
    }

    public ExitCode exitCode() {
        if (result.ok()) {
            return ExitCode.OK;
        }
        if (outcome == Outcome.DEPLOYED_WITH_FAILURES) {
            return ExitCode.DEPLOYED_WITH_FAILURES;
        }
        return result.error() instanceof BatonException b ? b.exitCode() : ExitCode.FAILED;
    }
}
