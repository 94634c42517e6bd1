package dev.baton.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.proxy.Route;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.AbstractConnectorHttpClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** A router whose colours speak plain HTTP does not start a TLS context it would never use. */
class PlainHttpTest {
    @Test
    void onlyPlainHttpUpstreamsLeaveTlsOut() {
        Route plain = new Route("/", Map.of("blue", URI.create("http://127.0.0.1:8000"), "green", URI.create("http://127.0.0.1:8001")));
        Route tls = new Route("/api", Map.of("blue", URI.create("https://api.internal:8443")));

        assertThat(PlainHttp.only(List.of(plain))).isTrue();
        assertThat(PlainHttp.only(List.of(plain, tls))).isFalse();
    }

    @Test
    void aClientWithoutTlsStartsNoTlsContextAndStillSpeaksHttp() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", ex -> {
            byte[] body = "plain".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        app.start();
        HttpClient client = PlainHttp.withoutTls(new HttpClient());
        HttpClient usual = new HttpClient();
        try {
            client.start();
            usual.start();
            var tls = ((AbstractConnectorHttpClientTransport) client.getTransport()).getClientConnector().getSslContextFactory();
            var usualTls = ((AbstractConnectorHttpClientTransport) usual.getTransport()).getClientConnector().getSslContextFactory();
            assertThat(usualTls.isStarted()).as("Jetty's default, which this avoids").isTrue();
            assertThat(tls.isStarted()).isFalse();
            assertThat(client.GET("http://127.0.0.1:" + app.getAddress().getPort() + "/").getContentAsString()).isEqualTo("plain");
        } finally {
            client.stop();
            usual.stop();
            app.stop(0);
        }
    }
}
