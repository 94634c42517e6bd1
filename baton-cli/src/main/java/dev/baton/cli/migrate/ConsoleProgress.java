package dev.baton.cli.migrate;

import dev.baton.migrate.Direction;
import dev.baton.migrate.MigrationListener;
import dev.baton.migrate.Revision;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints the engine's progress for people, on stderr. */
final class ConsoleProgress implements MigrationListener {
    private final PrintWriter err;
    private final boolean verbose;

    ConsoleProgress(PrintWriter err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public void note(String message) {
        err.println("note: " + message);
        err.flush();
    }

    @Override
    public void revisionStarted(Revision revision, Direction direction) {
        if (verbose) {
            err.println("  ... " + direction.dbName() + " " + revision.id() + " (" + revision.source() + ")");
            err.flush();
        }
    }

    @Override
    public void revisionFinished(Revision revision, Direction direction, Duration elapsed) {
        err.println("  \u2713 " + direction.dbName() + " " + revision.id()
                + (revision.message().isEmpty() ? "" : "  " + revision.message()) + "  (" + elapsed.toMillis() + " ms)");
    }
}
