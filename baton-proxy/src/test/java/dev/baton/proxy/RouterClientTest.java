package dev.baton.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a router runs, as a deploy asks before it would start one: on real sockets. */
class RouterClientTest {
    static final String STATUS = "{\"active\":\"blue\",\"in_flight\":{},\"served\":0}";

    /**
     * Accepts connections, and answers those from the {@code from}-th on at once (none before it;
     * none at all when {@code from} is 0): a router that is slow to answer is one that does not answer
     * the client's first request, whose shorter timeout ends it, and answers a later one.
     */
    static void server(ServerSocket socket, int from, List<Socket> held) {
        Thread t = new Thread(() -> {
            try {
                for (int n = 1; !socket.isClosed(); n++) {
                    Socket s = socket.accept();
                    held.add(s);
                    if (from > 0 && n >= from) {
                        answer(s);
                    }
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static void answer(Socket s) throws IOException {
        try (s) {
            byte[] body = STATUS.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }

    static URI admin(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void nothingListeningIsNotRunning() {
        assertThat(new RouterClient(admin(Ports.free()), "t", Duration.ofMillis(300), Duration.ofSeconds(2)).isRunning()).isFalse();
    }

    @Test
    void aRouterSlowerThanTheFirstTimeoutIsGivenLongerNotTakenForDead() throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server(socket, 3, held); // 1: the first status, left unanswered; 2: the connect probe; 3: the longer status
            // before: the first timeout said "not running", and a second router was started beside it, which could not bind
            assertThat(new RouterClient(admin(socket.getLocalPort()), "t", Duration.ofMillis(300), Duration.ofSeconds(10))
                    .isRunning()).isTrue();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void somethingThatTakesConnectionsButNeverAnswersIsNamedNotReplaced() throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server(socket, 0, held);
            RouterClient client = new RouterClient(admin(socket.getLocalPort()), "t", Duration.ofMillis(300), Duration.ofMillis(500));
            assertThatThrownBy(client::isRunning).isInstanceOf(BatonException.class)
                    .hasMessageContaining("something accepts connections on the router's admin address")
                    .hasMessageContaining("did not answer GET /status within 500 ms")
                    .hasMessageContaining("Baton does not start a second router beside it");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
