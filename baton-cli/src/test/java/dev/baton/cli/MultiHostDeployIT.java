package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.demo.DemoWorkspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy to two servers. Each is an sshd of its own on its own loopback address (127.0.0.2,
 * 127.0.0.3) with its own nginx, state folder and services, which bind to the host's address
 * (BATON_HOST), so the two never share a port.
 */
class MultiHostDeployIT {
    @TempDir
    Path work;

    LoopbackServers servers;
    String[] addresses;
    Nginx[] nginx;
    DemoFixture demo;

    @BeforeEach
    void setUp() throws Exception {
        demo = new DemoFixture(work.resolve("app"));
        servers = new LoopbackServers(work, 2, demo.ws.port("LISTEN"), i -> Map.of());
        addresses = servers.addresses;
        nginx = servers.nginx;
        demo.useNginx(nginx[0]);
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config()) + servers.yaml());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = 0; i < 2; i++) {
            DemoWorkspace.stopAll(servers.dir(i));
        }
        demo.close();
        servers.close();
    }

    URI router(int i) {
        return servers.router(i);
    }

    String get(int i, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(router(i).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void bothServersSwitchUnderLoadWithoutAFailedRequest() throws Exception {
        // an accessory on web-2: down at first, so its start command runs there
        Path marker = work.resolve("accessory-started");
        demo.ws.edit("accessories:\n", "accessories:\n  queue:\n    host: web-2\n    check: {command: [test, -e, \"" + marker
                + "\"]}\n    start: [/bin/sh, -c, \"echo $SSH_CONNECTION > " + marker + "\"]\n");
        BatonProcess.Result first = demo.deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("on 2 hosts", "started queue");
        assertThat(Files.readString(marker)).as("started over SSH on web-2").contains(" " + addresses[1] + " ");

        BatonProcess.Result second = demo.deployUnderLoad(2, List.of(router(0).resolve("/api/items"), router(1).resolve("/api/items"),
                router(0).resolve("/api/version"), router(1).resolve("/api/version")), 300);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).containsPattern("DrainAndStop .* web-1 drained in \\d+ ms, web-2 drained in \\d+ ms; stopped blue");
        for (int i = 0; i < 2; i++) {
            assertThat(nginx[i].linkTarget()).endsWith("demo.conf.green");
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        }
        assertThat(Files.readString(work.resolve("server-1/logs/api-green.log"))).contains("listening on 127.0.0.3:");
        BatonProcess.Result status = demo.inProcess(2, "status", "--json");
        assertThat(status.out()).contains("\"hosts\":{\"web-1\":{\"router\":\"green\",\"running\":{\"api\":[\"green\"]}},"
                + "\"web-2\":{\"router\":\"green\",\"running\":{\"api\":[\"green\"]}}}");
    }

    @Test
    void aServerAddedToHostsGetsTheNewVersionWithTheNextDeploy() throws Exception {
        String both = Files.readString(demo.ws.config());
        String web2 = both.lines().filter(l -> l.startsWith("  - {name: web-2")).findFirst().orElseThrow() + "\n";
        demo.ws.edit(web2, ""); // web-1 only
        demo.deployed(1);

        Files.writeString(demo.ws.config(), both); // scaled out: web-2 added (before: exit 3, "the router serves null")
        BatonProcess.Result before = demo.inProcess(1, "status");
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(before.out()).contains("web-2      {new: serves nothing yet");
        // a deploy that fails after its switch: web-1 goes back to blue, web-2 back to serving nothing
        demo.ws.edit("validate: [/api/health, /api/health/db, /api/items]", "validate: [/api/health, /api/none]");
        demo.ws.edit("  validate: 10s", "  validate: 1s");
        BatonProcess.Result failed = demo.deploy(2);
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).contains("FAILED at Validate", "undone SwitchTraffic");
        assertThat(get(0, "/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        assertThat(nginx[1].prefix.resolve("sites-enabled/demo.conf")).as("web-2 serves nothing again").doesNotExist();

        Files.writeString(demo.ws.config(), both);
        BatonProcess.Result added = demo.deploy(2);
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.err()).containsPattern("DetectActive .*blue → green; new: web-2").doesNotContain("Recover");
        for (int i = 0; i < 2; i++) {
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        }
        assertThat(demo.inProcess(2, "status").exitCode()).isZero();

        // web-2 removed from hosts: Baton no longer reaches it, and says so instead of forgetting it
        demo.ws.edit(web2, "");
        BatonProcess.Result removed = demo.deploy(2);
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.err()).contains("no longer in hosts, left serving green: web-2");
        assertThat(get(1, "/api/version")).as("left as it was").isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.inProcess(2, "status").out()).contains("web-2      {no longer in hosts: it was given green");
    }

    @Test
    void aHostThatFailsItsHealthCheckKeepsBothOnTheOldColour() throws Exception {
        demo.deployed(1);
        // long enough for the healthy host's JVM on a busy machine: only web-2, which fails on purpose, may time out
        demo.ws.edit("health: 60s", "health: 15s");

        BatonProcess.Result r = demo.deploy(2, "DEMO_FAIL_PATHS", "/api/health", "DEMO_FAIL_ON", addresses[1]);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at AwaitHealthy", "web-2: api green not healthy within 15 s", "undone StartTarget");
        assertThat(r.err()).doesNotContain("✓ SwitchTraffic");
        for (int i = 0; i < 2; i++) {
            assertThat(nginx[i].linkTarget()).as("neither host switched").endsWith("demo.conf.blue");
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
            assertThat(work.resolve("server-" + i + "/run/api-green.pid")).as("green stopped on both").doesNotExist();
        }
    }

    @Test
    void whenOneHostsSwitchFailsTheOtherGoesBack() throws Exception {
        demo.deployed(1);
        // web-2's nginx will reject the next site: its template is broken, web-1's is fine
        Path bad = Files.writeString(work.resolve("bad.conf"), "server { listen {{listen}}; proxy_pas x; }\n");
        demo.ws.edit("{site: " + nginx[1].prefix, "{template: " + bad + ", site: " + nginx[1].prefix);

        BatonProcess.Result r = demo.deploy(2);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at SwitchTraffic", "web-2:", "unknown directive \"proxy_pas\"",
                "the hosts already switched went back to blue");
        for (int i = 0; i < 2; i++) {
            assertThat(nginx[i].linkTarget()).endsWith("demo.conf.blue");
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        }
    }
}
