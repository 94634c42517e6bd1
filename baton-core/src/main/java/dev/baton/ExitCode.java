package dev.baton;

/** The documented process exit codes, shared by every command. */
public enum ExitCode {
    /** Everything asked for was done. */
    OK(0),
    /** A deploy or a migration ran and failed; the message says which step or revision. */
    FAILED(1),
    /** The command line or a configuration/migration file is wrong; nothing was changed. */
    USAGE(2),
    /** The system is not in a state that allows the command: a lock is held, an applied revision changed. */
    STATE(3),
    /** A bug in Baton: please report it with the output of {@code --verbose}. */
    BUG(4),
    /** Deployed: the new version serves, but a step after the point of no return failed (Cleanup, Release, the state file). */
    DEPLOYED_WITH_FAILURES(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
