package dev.baton;

/**
 * An error a user can cause and fix. The message says what was wrong, where (file:line, config key)
 * and what to do; the CLI prints it without a stack trace and exits with {@link #exitCode()}.
 */
public class BatonException extends RuntimeException {
    private final ExitCode exitCode;

    public BatonException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public BatonException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /**
     * What went wrong, for a message: the exception's own message, or its kind when it has none
     * (a refused connection may carry no message; "null" helps nobody).
     */
    public static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A mistake in the command line or in a file the user wrote. */
    public static BatonException usage(String message) {
        return new BatonException(ExitCode.USAGE, message);
    }

    /** The system's state forbids the command (lock held, changed revision). */
    public static BatonException state(String message) {
        return new BatonException(ExitCode.STATE, message);
    }

    /** Work that was started failed. */
    public static BatonException failed(String message, Throwable cause) {
        return new BatonException(ExitCode.FAILED, message, cause);
    }
}
