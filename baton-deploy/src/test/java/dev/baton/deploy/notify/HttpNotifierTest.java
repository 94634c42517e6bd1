package dev.baton.deploy.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.deploy.port.DeployKind;
import dev.baton.deploy.port.Notice;
import dev.baton.deploy.port.Outcome;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notices to a real HTTP server on loopback. */
class HttpNotifierTest {
    static final Notice NOTICE = new Notice("shop", DeployKind.DEPLOY, "20261130-2100", "1.4.2", Outcome.SUCCEEDED, "blue", "green",
            1200, null, null, "http://127.0.0.1:8080");
    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", x -> {
            seen.add(x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Authorization"));
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aUserAndPasswordInTheUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
        URI topic = URI.create("http://deployer:p%40ss@127.0.0.1:" + server.getAddress().getPort() + "/deploys?x=1");
        HttpNotifier ntfy = HttpNotifier.ntfy(topic, Map.of());
        ntfy.send(NOTICE);
        String basic = "Basic " + Base64.getEncoder().encodeToString("deployer:p@ss".getBytes(StandardCharsets.UTF_8));
        assertThat(seen).containsExactly("/deploys?x=1 " + basic);
        assertThat(ntfy.describe()).isEqualTo("ntfy http://127.0.0.1:" + server.getAddress().getPort() + "/deploys").doesNotContain("p%40ss");
    }

    @Test
    void anAuthorizationHeaderOfTheConfigWinsOverTheUrlsUser() throws Exception {
        URI hook = URI.create("http://u:p@127.0.0.1:" + server.getAddress().getPort() + "/hook");
        HttpNotifier.webhook(hook, Map.of("Authorization", "Bearer t0ken")).send(NOTICE);
        assertThat(seen).containsExactly("/hook Bearer t0ken");
    }
}
