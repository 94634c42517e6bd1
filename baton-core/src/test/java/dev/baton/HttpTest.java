package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP helper against a real HTTP server. */
class HttpTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth=" + ex.getRequestHeaders().getFirst("Authorization")
                    + " body=" + new String(in, StandardCharsets.UTF_8));
            String path = ex.getRequestURI().getPath();
            if (path.equals("/moved")) {
                ex.getResponseHeaders().add("Location", "/elsewhere");
                ex.sendResponseHeaders(302, -1);
            } else {
                byte[] out = ("answer to " + path).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(path.equals("/broken") ? 503 : 200, out.length);
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void getsAndPostsWithHeadersAndReadsTheBodyOfAnErrorToo() throws IOException {
        Http.Response ok = Http.get(base.resolve("/a?x=1"), Map.of("Authorization", "Bearer t"), SECOND, SECOND);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.body()).isEqualTo("answer to /a");

        Http.Response posted = Http.post(base.resolve("/b"), Map.of(), "héllo".getBytes(StandardCharsets.UTF_8), SECOND, SECOND);
        assertThat(posted.body()).isEqualTo("answer to /b");

        Http.Response broken = Http.get(base.resolve("/broken"), Map.of(), SECOND, SECOND);
        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.ok()).isFalse();
        assertThat(broken.body()).isEqualTo("answer to /broken");

        assertThat(seen).containsExactly("GET /a?x=1 auth=Bearer t body=", "POST /b auth=null body=héllo", "GET /broken auth=null body=");
    }

    @Test
    void aRedirectIsAnswerNotFollowed() throws IOException {
        assertThat(Http.get(base.resolve("/moved"), Map.of(), SECOND, SECOND).status()).isEqualTo(302);
        assertThat(seen).hasSize(1);
    }

    @Test
    void nothingListeningOrNoAnswerInTimeIsAnIoException() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> Http.get(URI.create("http://127.0.0.1:" + closed + "/"), Map.of(), SECOND, SECOND))
                .isInstanceOf(IOException.class);
        try (ServerSocket silent = new ServerSocket(0)) { // accepts (backlog) and never answers
            assertThatThrownBy(() -> Http.get(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"), Map.of(), SECOND,
                    Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aHeaderWithALineBreakOrAnotherSchemeIsRefusedAsAnIoException() {
        assertThatThrownBy(() -> Http.get(base, Map.of("X-Evil", "a\r\nInjected: yes"), SECOND, SECOND)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Http.get(URI.create("file:///etc/passwd"), Map.of(), SECOND, SECOND))
                .isInstanceOf(IOException.class).hasMessageContaining("not an http or https URL");
        assertThat(seen).isEmpty();
    }
}
