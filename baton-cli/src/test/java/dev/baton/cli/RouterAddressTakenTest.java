package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A deploy whose built-in router's address another process listens on: refused at once, naming
 * that process, and no router is started (before: the supervisor restarted a router that could not
 * bind five times, about 5 s, and the reason was in its log).
 */
class RouterAddressTakenTest {
    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"router.listen", "router.admin"})
    void isRefusedNamingWhatListensThere(String key) throws Exception {
        int listen = Ports.free();
        int admin = Ports.free();
        Files.writeString(work.resolve("baton.yml"), MinimalConfig.of("[java, -jar, app.jar]", listen, admin));
        int port = key.equals("router.listen") ? listen : admin;
        try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            // it hangs up on whoever connects: no router answers there (one that said nothing would cost the
            // admin client its 5 s timeout per call first)
            Thread hangUp = new Thread(() -> {
                while (!squatter.isClosed()) {
                    try (Socket s = squatter.accept()) {
                        s.setSoLinger(true, 0);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            hangUp.setDaemon(true);
            hangUp.start();
            BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "deploy");

            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains(key + " 127.0.0.1:" + port + " is taken by java (pid " + ProcessHandle.current().pid() + ")",
                    "the router was not started").doesNotContain("Exception");
            assertThat(work.resolve(".baton/run/router-supervisor.pid")).as("no router launched").doesNotExist();
        }
    }
}
