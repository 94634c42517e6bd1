package dev.baton.deploy.pipeline;

import java.time.Duration;
import java.time.Instant;

/** Something that happened to a step; sinks render or record it. */
public record DeployEvent(Instant at, String step, Kind kind, Duration elapsed, String detail) {
    /** PROGRESS: how far a long step has got (bytes shipped); shown on a terminal, not kept in the audit log. */
    public enum Kind { STARTED, PROGRESS, SUCCEEDED, SKIPPED, FAILED, UNDONE, UNDO_FAILED, NOT_UNDONE }
}
