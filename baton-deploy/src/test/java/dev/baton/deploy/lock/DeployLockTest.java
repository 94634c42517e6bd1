package dev.baton.deploy.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.DeployLock;
import dev.baton.migrate.testing.TestDatabase;
import dev.baton.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both deploy locks: taken, named, watched, and lost when their session ends (real PostgreSQL). */
class DeployLockTest {
    @TempDir
    Path dir;

    final TestDatabase db = TestDatabase.create();

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aTerminatedSessionIsALostLockAndASecondDeployCanTakeIt() throws Exception {
        try (PostgresDeployLock first = new PostgresDeployLock("shop", db.jdbcUrl(), null, null);
             PostgresDeployLock second = new PostgresDeployLock("shop", db.jdbcUrl(), null, null)) {
            first.acquire("baton deploy shop by test", Duration.ZERO);
            first.check();
            assertThat(second.holder()).hasValueSatisfying(h -> assertThat(h).startsWith("baton deploy shop by test, since "));
            assertThatThrownBy(() -> second.acquire("second", Duration.ofMillis(200))).hasMessageContaining("another deploy of shop is running");

            terminate("baton deploy shop by test");
            // nobody took it meanwhile: the first takes it again (and its deploy undoes, safely)
            assertThatThrownBy(first::check).isInstanceOfSatisfying(DeployLock.Lost.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.STATE);
                assertThat(e.retaken()).isTrue();
            }).hasMessageContaining("the deploy lock was lost").hasMessageContaining("holds it again");
            first.check();
            assertThatThrownBy(() -> second.acquire("second", Duration.ofMillis(200))).hasMessageContaining("another deploy of shop is running");

            // lost again, and the second deploy, waiting, takes it at once: the first must leave it alone
            Thread waiting = new Thread(() -> second.acquire("baton deploy shop by second", Duration.ofSeconds(30)));
            waiting.start();
            Await.until(() -> count("application_name = 'baton deploy shop by second'") == 1,
                    "the second deploy waiting (asking every 50 ms)");
            terminate("baton deploy shop by test");
            waiting.join(10_000);
            assertThatThrownBy(first::check).isInstanceOfSatisfying(DeployLock.Lost.class, e -> assertThat(e.retaken()).isFalse())
                    .hasMessageContaining("baton deploy shop by second").hasMessageContaining("holds it now");
            second.check();
        }
    }

    @Test
    void aHolderKilledOnThisMachineIsWaitedForUntilTheServerEndsItsSessionAndALiveOneIsNot() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String ghostName = "baton deploy shop by test@" + LockHolder.host() + " pid " + gone.pid();
        assertThat(LockHolder.goneFromHere(ghostName)).isTrue();
        assertThat(LockHolder.goneFromHere("baton deploy shop by test@" + LockHolder.host() + " pid " + ProcessHandle.current().pid())).isFalse();
        assertThat(LockHolder.goneFromHere("baton deploy shop by test@another-machine pid " + gone.pid())).isFalse();
        assertThat(LockHolder.goneFromHere(LockHolder.name("deploy", "shop"))).isFalse();

        // a live holder: refused at once, as before
        try (PostgresDeployLock live = new PostgresDeployLock("shop", db.jdbcUrl(), null, null);
             PostgresDeployLock second = new PostgresDeployLock("shop", db.jdbcUrl(), null, null)) {
            live.acquire(LockHolder.name("deploy", "shop"), Duration.ZERO);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> second.acquire("second", Duration.ZERO)).hasMessageContaining("another deploy of shop is running");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
        // a holder killed here whose session the server has not ended yet: `baton recover` run at once waits for it
        PostgresDeployLock ghost = new PostgresDeployLock("shop", db.jdbcUrl(), null, null);
        ghost.acquire(ghostName, Duration.ZERO);
        try (PostgresDeployLock recover = new PostgresDeployLock("shop", db.jdbcUrl(), null, null)) {
            var taken = new CompletableFuture<Void>();
            Thread t = new Thread(() -> {
                try {
                    recover.acquire("baton recover shop", Duration.ZERO);
                    taken.complete(null);
                } catch (RuntimeException e) {
                    taken.completeExceptionally(e);
                }
            });
            t.start();
            // it has tried the lock while the ghost held it (before the fix, that was a refusal)
            Await.until(() -> taken.isDone()
                    || count("application_name = 'baton recover shop' AND query LIKE '%pg_try_advisory_lock%'") == 1, "the recover trying");
            ghost.close();
            taken.get(15, TimeUnit.SECONDS);
            recover.check();
        }
    }

    private void terminate(String holder) throws Exception {
        try (Connection admin = db.connect()) {
            admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + holder + "'");
        }
    }

    private long count(String where) {
        try (Connection admin = db.connect(); var rs = admin.createStatement().executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND " + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFileLockIsWatchedToo() {
        try (FileDeployLock lock = new FileDeployLock(dir)) {
            assertThatThrownBy(lock::check).hasMessageContaining("no longer held");
            lock.acquire("test", Duration.ZERO);
            lock.check();
        }
    }
}
