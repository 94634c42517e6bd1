package dev.baton.deploy.pipeline;

import java.util.List;

/**
 * How a pipeline run ended.
 *
 * @param failedStep the step that failed, or null on success
 * @param error its error, or null
 * @param rolledBack whether the steps done before it were undone
 * @param events everything that happened, in order
 * @param finalized whether the step that finalizes (the point of no return) had run when it ended
 */
public record PipelineResult(String failedStep, Throwable error, boolean rolledBack, List<DeployEvent> events, boolean finalized) {
    public boolean ok() {
        return failedStep == null;
    }
}
