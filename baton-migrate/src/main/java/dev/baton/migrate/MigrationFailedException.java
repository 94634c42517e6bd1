package dev.baton.migrate;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import java.nio.file.Path;

/** A revision failed while running. The message names the revision, file and line, and the log file. */
public class MigrationFailedException extends BatonException {
    private final String revision;
    private final String location;
    private final String sqlState;
    private final Path logFile;

    public MigrationFailedException(String message, String revision, String location, String sqlState,
                                    Path logFile, Throwable cause) {
        super(ExitCode.FAILED, message, cause);
        this.revision = revision;
        this.location = location;
        this.sqlState = sqlState;
        this.logFile = logFile;
    }

    public String revision() {
        return revision;
    }

    /** file:line of the failing statement, or the Java class. */
    public String location() {
        return location;
    }

    /** The database's SQLSTATE, or null for failures outside the database. */
    public String sqlState() {
        return sqlState;
    }

    public Path logFile() {
        return logFile;
    }
}
