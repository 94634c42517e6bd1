package dev.baton.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket upgrades through the router, with the JDK's WebSocket client against real WebSocket upstreams. */
class RouterWebSocketTest {
    @TempDir
    Path tmp;

    Server blue;
    Server green;
    Router router;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        blue = upstream("blue");
        green = upstream("green");
        router = new Router(new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                "t", List.of(new Route("/", Map.of("blue", uri(blue), "green", uri(green)))), tmp.resolve("state.json"), "blue")).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
        blue.stop();
        green.stop();
    }

    /** An upstream that greets each socket with its colour and echoes messages prefixed with it. */
    static Server upstream(String colour) throws Exception {
        Server s = new Server();
        ServerConnector c = new ServerConnector(s);
        c.setHost("127.0.0.1");
        s.addConnector(c);
        s.setHandler(WebSocketUpgradeHandler.from(s, container -> container.addMapping("/ws", (req, resp, cb) -> {
            if (req.getSubProtocols().contains("chat")) {
                resp.setAcceptedSubProtocol("chat");
            }
            return new Echo(colour, req.getHeaders().get("Cookie"));
        })));
        s.start();
        return s;
    }

    /** Public: Jetty finds endpoint methods reflectively. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private final String colour;
        private final String cookie;
        private Session session;

        Echo(String colour, String cookie) {
            this.colour = colour;
            this.cookie = cookie;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            session.sendText("hello from " + colour + " cookie=" + cookie, Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(colour + ":" + message, Callback.NOOP);
        }
    }

    static URI uri(Server s) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) s.getConnectors()[0]).getLocalPort());
    }

    final class Client implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final WebSocket socket;

        Client() throws Exception {
            socket = http.newWebSocketBuilder().subprotocols("chat").header("Cookie", "session=42")
                    .buildAsync(URI.create("ws://127.0.0.1:" + router.publicPort() + "/ws"), this).get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            received.add(data.toString());
            webSocket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String s = received.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("a message within 10 s").isNotNull();
            return s;
        }
    }

    @Test
    void webSocketIsRelayedBothWaysAndStaysOnItsColourAcrossASwitch() throws Exception {
        Client first = new Client();
        assertThat(first.socket.getSubprotocol()).isEqualTo("chat");
        assertThat(first.next()).isEqualTo("hello from blue cookie=session=42");
        first.socket.sendText("one", true).get(5, TimeUnit.SECONDS);
        assertThat(first.next()).isEqualTo("blue:one");

        router.switchTo("green");
        Client second = new Client();
        assertThat(second.next()).startsWith("hello from green");
        first.socket.sendText("two", true).get(5, TimeUnit.SECONDS);
        assertThat(first.next()).as("an open WebSocket stays on the colour it opened on").isEqualTo("blue:two");
        assertThat(router.status().websockets()).isEqualTo(Map.of("blue", 1, "green", 1));
        assertThat(router.status().inFlight()).as("WebSockets do not hold up a drain").isEqualTo(Map.of("blue", 0, "green", 0));

        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        Await.until(() -> router.status().websockets().get("blue") == 0, "the blue WebSocket to be closed upstream");
        assertThat(router.status().websockets().get("green")).isEqualTo(1);
    }

    @Test
    void stoppingTheOldColourClosesItsWebSockets() throws Exception {
        Client client = new Client();
        client.next();
        router.switchTo("green");
        blue.stop();
        Await.until(() -> client.socket.isInputClosed(), "the client to see the close");
        // before: the router passed the close on, then counted the socket gone, so this could read 1
        assertThat(router.status().websockets().get("blue")).isZero();
    }
}
