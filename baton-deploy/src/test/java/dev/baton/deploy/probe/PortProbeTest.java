package dev.baton.deploy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.fakes.FakeHost;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What listens on a port, as {@code ss} on the host says; parsing and a host that has no ss. */
class PortProbeTest {
    @Test
    void readsTheProcessesOfTheListeningSockets() {
        FakeHost host = new FakeHost("web-1", false).answering(c -> FakeHost.ok(
                "LISTEN 0 50 127.0.0.1:8000 0.0.0.0:* users:((\"java\",pid=4242,fd=9),(\"java\",pid=4243,fd=9))\n"));
        assertThat(PortProbe.listeners(host, 8000)).containsOnlyKeys(4242L, 4243L);
        assertThat(PortProbe.taken(host, 8000)).contains("java (pid 4242)");
        assertThat(host.argvs().get(0)).containsExactly("ss", "-H", "-ltnp", "sport = :8000");
    }

    @Test
    void aMachineWithoutSsCannotTellAndIsNotAFailure() {
        // as LocalHost says it when the binary is missing (no iproute2): every stopped colour's check would fail
        FakeHost host = new FakeHost("local", true).answering(c -> {
            throw new BatonException(ExitCode.FAILED, "cannot start `ss`: No such file or directory", new IOException("error=2"));
        });
        assertThat(PortProbe.listeners(host, 8000)).isEmpty();
        assertThat(PortProbe.taken(host, 8000)).isEmpty();
    }

    @Test
    void aLostConnectionIsStillAFailure() {
        FakeHost host = new FakeHost("web-1", false).answering(c -> {
            throw new BatonException(ExitCode.FAILED, "web-1: the SSH connection was lost while `ss` ran", null);
        });
        assertThatThrownBy(() -> PortProbe.taken(host, 8000)).hasMessageContaining("SSH connection was lost");
    }
}
