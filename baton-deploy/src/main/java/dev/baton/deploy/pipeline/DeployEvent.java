package dev.baton.deploy.pipeline;

import java.time.Duration;
import java.time.Instant;

/** Something that happened to a step; sinks render or record it. */
public record DeployEvent(Instant at, String step, Kind kind, Duration elapsed, String detail) {
    public enum Kind { STARTED, SUCCEEDED, SKIPPED, FAILED, UNDONE, UNDO_FAILED, NOT_UNDONE }
}
