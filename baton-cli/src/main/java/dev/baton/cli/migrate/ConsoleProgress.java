package dev.baton.cli.migrate;

import dev.baton.migrate.Direction;
import dev.baton.migrate.MigrationListener;
import dev.baton.migrate.Revision;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints the engine's progress for people, on stderr. */
public final class ConsoleProgress implements MigrationListener {
    private final PrintWriter err;
    private final boolean verbose;
    private final String indent;

    public ConsoleProgress(PrintWriter err, boolean verbose) {
        this(err, verbose, "  ");
    }

    /** With {@code indent} before each revision line (deeper under a deploy's step list). */
    public ConsoleProgress(PrintWriter err, boolean verbose, String indent) {
        this.err = err;
        this.verbose = verbose;
        this.indent = indent;
    }

    @Override
    public void note(String message) {
        err.println("note: " + message);
        err.flush();
    }

    @Override
    public void revisionStarted(Revision revision, Direction direction) {
        if (verbose) {
            err.println(indent + "... " + direction.dbName() + " " + revision.id() + " (" + revision.source() + ")");
            err.flush();
        }
    }

    @Override
    public void revisionFinished(Revision revision, Direction direction, Duration elapsed) {
        err.println(indent + "\u2713 " + direction.dbName() + " " + revision.id()
                + (revision.message().isEmpty() ? "" : "  " + revision.message()) + "  (" + elapsed.toMillis() + " ms)");
    }
}
