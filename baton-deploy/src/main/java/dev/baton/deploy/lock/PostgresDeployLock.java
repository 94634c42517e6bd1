package dev.baton.deploy.lock;

import dev.baton.BatonException;
import dev.baton.deploy.port.DeployLock;
import dev.baton.migrate.AdvisoryLock;
import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The deploy lock as a session-level advisory lock. The holder's description is the session's
 * application_name, so {@code baton status} on any machine can name it from pg_stat_activity;
 * the lock goes when the session does, including when the deploying process is killed.
 */
public final class PostgresDeployLock implements DeployLock {
    private final String app;
    private final DatabaseUrl url;
    private final long key;
    private Connection session;
    private String holderName;

    public PostgresDeployLock(String app, String url, String user, String password) {
        this.app = app;
        this.url = DatabaseUrl.parse(url, user, password);
        this.key = AdvisoryLock.key("baton-deploy:" + app);
    }

    @Override
    public Optional<String> holder() {
        try (Connection c = url.open("baton status")) {
            return AdvisoryLock.holder(c, key).map(h -> (h.application() == null || h.application().isEmpty()
                    ? "an unnamed session" : h.application()) + ", since " + h.since()
                    + (h.client() == null ? "" : ", from " + h.client()));
        } catch (SQLException e) {
            throw BatonException.state("cannot read the deploy lock on " + url.display() + ": " + url.whyNot(e, null));
        }
    }

    @Override
    public void acquire(String who, Duration wait) {
        try {
            holderName = who;
            session = url.open(who); // the holder's name is the session's application_name
            session.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MS); // a server gone silent fails check(), never hangs it
            if (!AdvisoryLock.lock(session, key, wait) && !(killedHere() && AdvisoryLock.lock(session, key, KILLED_GRACE))) {
                String holder = holder().orElse("a deploy that has just finished");
                close();
                throw BatonException.state("another deploy of " + app + " is running: " + holder
                        + "; wait for it to finish (baton status shows it), or raise deadlines.lock");
            }
        } catch (SQLException e) {
            close();
            throw BatonException.state("cannot take the deploy lock on " + url.display() + ": " + url.whyNot(e, null));
        }
    }

    /**
     * Whether the lock's holder is a baton process of this machine that no longer exists (killed
     * with -9, say): its session ends as soon as the server reads the closed connection, which on
     * a busy server can take a moment after the kill; a {@code baton recover} run at once waits for
     * that rather than refusing. A holder on another machine, or alive, is not waited for.
     */
    private boolean killedHere() throws SQLException {
        Optional<AdvisoryLock.Holder> h = AdvisoryLock.holder(session, key);
        return h.isEmpty() || LockHolder.goneFromHere(h.get().application());
    }

    private static final Duration KILLED_GRACE = Duration.ofSeconds(10);
    private static final int CHECK_TIMEOUT_MS = 10_000;

    @Override
    public void check() {
        String why;
        try {
            if (session != null && AdvisoryLock.heldBy(session, key)) {
                return;
            }
            why = session == null ? "the session is closed" : "the lock is no longer this session's";
        } catch (SQLException e) {
            why = BatonException.describe(e);
        }
        String lost = "the deploy lock was lost: its session on " + url.display() + " ended (" + why + ")";
        String who = holderName;
        close();
        try {
            session = url.open(who);
            session.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MS);
            if (AdvisoryLock.tryLock(session, key)) {
                throw new Lost(lost + "; no other deploy took it, and this one holds it again but stops here", true);
            }
            String holder = holder().orElse("another deploy");
            close();
            throw new Lost(lost + ", and " + holder + " holds it now", false);
        } catch (SQLException e) {
            close();
            throw new Lost(lost + ", and it cannot be taken again (" + BatonException.describe(e)
                    + "), so another deploy may hold it", false);
        }
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                // released now, not when the server gets round to ending the session: the next
                // command (a waiting deploy, a status) must not still see this one holding it
                AdvisoryLock.unlock(session, key);
            } catch (SQLException ignored) {
                // a session already gone holds nothing
            }
            try {
                session.close(); // ends the session, and with it the lock
            } catch (SQLException ignored) {
                // the lock dies with the session either way
            }
            session = null;
        }
    }
}
