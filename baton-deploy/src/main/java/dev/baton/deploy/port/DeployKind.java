package dev.baton.deploy.port;

import java.util.Locale;

/** What was run: a deploy of a new version, a rollback to the previous colour, or a recovery. */
public enum DeployKind {
    DEPLOY, ROLLBACK,
    /** {@code baton recover}, or the recovery a deploy or rollback runs first. */
    RECOVER;

    /** As written in the audit log, notices and log file names: {@code deploy}, {@code rollback}, {@code recover}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
