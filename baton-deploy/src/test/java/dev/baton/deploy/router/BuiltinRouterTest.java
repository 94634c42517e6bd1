package dev.baton.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.FreePorts;
import dev.baton.proxy.RouterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinRouterTest {
    @TempDir
    Path dir;

    private RouterSettings settings() {
        int[] ports = FreePorts.take(2);
        return new RouterSettings(new InetSocketAddress("127.0.0.1", ports[0]), new InetSocketAddress("127.0.0.1", ports[1]),
                "token", List.of(), dir.resolve("router-state.json"), "blue");
    }

    @Test
    void aRouterProcessThatEndsBeforeItAnswersFailsTheStartAtOnceWithItsLog() throws Exception {
        Path log = dir.resolve("router.log");
        AtomicInteger launched = new AtomicInteger();
        // a real process that fails as a router that cannot start does: a line in its log, then exit 1
        RouterLauncher launcher = () -> {
            launched.incrementAndGet();
            try {
                Process p = new ProcessBuilder("/bin/sh", "-c", "echo \"Unrecognized VM option 'Bogus'\" >> \"$0\"; exit 1",
                        log.toString()).start();
                return Optional.of(new RouterLauncher.Started(p.pid(), log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        BuiltinRouter router = new BuiltinRouter(settings(), launcher);

        // before: the deploy waited the whole 60 s start deadline, then said "see its log"
        assertThatThrownBy(router::ensureRunning).isInstanceOf(BatonException.class)
                .hasMessageContaining("the router exited before it answered on 127.0.0.1:")
                .hasMessageContaining("last lines of " + log)
                .hasMessageContaining("Unrecognized VM option 'Bogus'")
                .hasMessageNotContaining("/127.0.0.1");
        assertThat(launched).hasValue(1);
        assertThat(Files.readString(log)).contains("Bogus");
    }
}
