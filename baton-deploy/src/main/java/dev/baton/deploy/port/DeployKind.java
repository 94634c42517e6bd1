package dev.baton.deploy.port;

import java.util.Locale;

/** What was run: a deploy of a new version or a rollback to the previous colour. */
public enum DeployKind {
    DEPLOY, ROLLBACK;

    /** As written in the audit log, notices and log file names: {@code deploy}, {@code rollback}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
