package dev.baton.migrate;

import java.time.Instant;
import java.util.List;

/** A revision the history table says is applied, as recorded when it was applied. */
public record AppliedRevision(
        String revision,
        List<String> parents,
        String message,
        String checksum,
        Instant appliedAt,
        String appliedBy,
        long executionMs,
        Direction how) {}
