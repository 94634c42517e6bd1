package dev.baton.deploy.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
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

            try (Connection admin = db.connect()) {
                admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'baton deploy shop by test'");
            }
            assertThatThrownBy(first::check).isInstanceOfSatisfying(BatonException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.STATE)).hasMessageContaining("the deploy lock was lost");
            second.acquire("second", Duration.ofSeconds(5));
            second.check();
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
