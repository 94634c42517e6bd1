package dev.baton.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.migrate.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The advisory lock both the migration lock and the deploy lock stand on, against the real PostgreSQL. */
class AdvisoryLockTest {
    final TestDatabase db = TestDatabase.create();

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theKeyIsFnv1aOverTheUtf8BytesAsUnsignedBytes() {
        assertThat(AdvisoryLock.key("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(AdvisoryLock.key("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        // bytes above 0x7f count as 0..255 (a signed byte would flip the high bits of the hash)
        assertThat(AdvisoryLock.key("é")).isEqualTo(0x0ac21707b7181e01L);
    }

    @Test
    void aSecondSessionWaitsItsTimeNamesTheHolderAndGetsTheLockOnceFreed() throws Exception {
        long key = AdvisoryLock.key("baton-test:" + db.name());
        try (Connection holder = open("baton deploy shop"); Connection other = open("second")) {
            assertThat(AdvisoryLock.lock(holder, key, Duration.ZERO)).isTrue();
            long start = System.nanoTime();
            assertThat(AdvisoryLock.lock(other, key, Duration.ofMillis(300))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(AdvisoryLock.holder(other, key)).hasValueSatisfying(h -> {
                assertThat(h.application()).isEqualTo("baton deploy shop");
                assertThat(h.toString()).contains("application \"baton deploy shop\"");
            });
            AdvisoryLock.unlock(holder, key);
            assertThat(AdvisoryLock.lock(other, key, Duration.ofSeconds(5))).isTrue();
            assertThat(AdvisoryLock.holder(holder, key)).hasValueSatisfying(h -> assertThat(h.application()).isEqualTo("second"));
        }
    }

    Connection open(String application) throws Exception {
        Connection c = DriverManager.getConnection(db.jdbcUrl());
        c.createStatement().execute("SET application_name = '" + application + "'");
        return c;
    }
}
