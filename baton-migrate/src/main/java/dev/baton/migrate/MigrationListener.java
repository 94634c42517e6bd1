package dev.baton.migrate;

import java.time.Duration;

/** Progress of the engine, for a console or an event log; the engine itself never prints. */
public interface MigrationListener {
    MigrationListener NONE = new MigrationListener() {};

    /** Something a person running the command should know (lock waits, non-transactional revisions). */
    default void note(String message) {}

    default void revisionStarted(Revision revision, Direction direction) {}

    default void revisionFinished(Revision revision, Direction direction, Duration elapsed) {}
}
