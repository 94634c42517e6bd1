package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
    @Test
    void returnsAsSoonAsTheProbeSaysOk() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        Wait.of("third call", Duration.ofSeconds(10), Duration.ofMillis(5))
                .until(() -> calls.incrementAndGet() < 3 ? Probe.notYet("call " + calls.get()) : Probe.ok());
        assertThat(calls).hasValue(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aTimeoutSaysWhatWasExpectedForHowLongAndTheLastReason() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Wait.of("api green healthy", Duration.ofMillis(200), Duration.ofMillis(10))
                .until(() -> Probe.notYet("HTTP 503 on try " + calls.incrementAndGet())))
                .isInstanceOfSatisfying(Wait.TimedOut.class, e -> {
                    assertThat(e.getMessage()).startsWith("api green healthy: not within 200 ms; last: HTTP 503 on try ");
                    assertThat(e.lastReason()).isEqualTo("HTTP 503 on try " + calls.get());
                    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                });
        assertThat(calls.get()).isGreaterThan(1);
    }

    @Test
    void aProbeThatThrowsEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Wait.of("x", Duration.ofSeconds(30), Duration.ofMillis(1)).until(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("process exited");
        })).hasMessage("process exited");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheFlag() throws Exception {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Wait.of("the router", Duration.ofSeconds(30), Duration.ofMillis(10))
                    .until(() -> Probe.notYet("no answer")))
                    .isInstanceOf(BatonException.class).hasMessageContaining("interrupted (Ctrl-C or SIGTERM) while waiting for the router");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anUninterruptibleWaitRunsToItsEndAndKeepsTheInterruptForLater() {
        AtomicInteger calls = new AtomicInteger();
        Thread.currentThread().interrupt();
        try {
            Wait.of("a process to exit", Duration.ofSeconds(10), Duration.ofMillis(5)).uninterruptibly()
                    .until(() -> calls.incrementAndGet() < 5 ? Probe.notYet("alive") : Probe.ok());
            assertThat(calls).hasValue(5);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aCheckedExceptionOfTheProbeIsPassedOnAsItIs() {
        assertThatThrownBy(() -> Wait.of("a lock", Duration.ofSeconds(1), Duration.ofMillis(5)).until(() -> {
            throw new SQLException("connection lost");
        })).isInstanceOf(SQLException.class).hasMessage("connection lost");
    }
}
