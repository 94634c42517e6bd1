package dev.baton.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router against real upstream HTTP servers and a real HTTP client. */
class RouterTest {
    static final String TOKEN = "test-token";

    @TempDir
    Path tmp;

    Upstream blue;
    Upstream green;
    Router router;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void setUp() throws Exception {
        blue = new Upstream("blue");
        green = new Upstream("green");
        router = start(tmp.resolve("state.json"));
    }

    @AfterEach
    void tearDown() {
        router.close();
        blue.close();
        green.close();
    }

    Router start(Path state) {
        RouterSettings s = new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                TOKEN, List.of(new Route("/", Map.of("blue", blue.uri(), "green", green.uri()))), state, "blue");
        return new Router(s).start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + router.publicPort() + path);
    }


    RouterClient admin() {
        return new RouterClient(URI.create("http://127.0.0.1:" + router.adminPort()), TOKEN);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }


    @Test
    void switchUnderLoadFailsNoRequestAndNewRequestsGoToTheNewColourAtOnce() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> afterSwitch = new ConcurrentLinkedQueue<>();
        AtomicBoolean switched = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int n = 0; n < 5000 && !stop.get(); n++) {
                    boolean startedAfterSwitch = switched.get();
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(url("/")).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.add("HTTP " + r.statusCode());
                        } else {
                            ok.incrementAndGet();
                            if (startedAfterSwitch) {
                                afterSwitch.add(r.body());
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        Await.until(() -> ok.get() >= 500, "500 requests before the switch");
        assertThat(admin().switchTo("green").active()).isEqualTo("green");
        switched.set(true);
        int atSwitch = ok.get();
        Await.until(() -> ok.get() >= atSwitch + 500, "500 requests after the switch");
        stop.set(true);
        for (Thread t : clients) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(afterSwitch).isNotEmpty().allMatch("green"::equals);
    }

    @Test
    void requestInFlightFinishesOnItsColourAndIsCountedUntilItCompletes() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(url("/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.until(() -> router.inFlight().get("blue") == 1, "the slow request to be in flight");
        admin().switchTo("green");
        assertThat(get("/").body()).isEqualTo("green");
        // green's request is counted until the router's side of it completes, a moment after the client has the answer
        Await.until(() -> admin().status().inFlight().get("green") == 0, "green's request to complete");
        assertThat(admin().status().inFlight()).as("blue's, held upstream, still counted").containsEntry("blue", 1);
        blue.release.countDown();
        HttpResponse<String> r = slow.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("blue slow");
        Await.until(() -> router.inFlight().get("blue") == 0, "blue to drain");
    }

    @Test
    void drainAnswersWhenTheLastRequestToTheColourCompletesOrAtItsTimeout() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(url("/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.until(() -> router.inFlight().get("blue") == 1, "the slow request to be in flight");
        admin().switchTo("green");
        long start = System.nanoTime();
        assertThat(admin().drain("blue", Duration.ofMillis(300))).isEqualTo(1); // still in flight at the timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> admin().drain("blue", Duration.ofSeconds(30)));
        blue.release.countDown();
        assertThat(drained.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(slow.get().body()).isEqualTo("blue slow");
        assertThat(admin().drain("green", Duration.ofSeconds(30))).isZero();
        assertThatThrownBy(() -> new RouterClient(URI.create("http://127.0.0.1:" + router.adminPort()), "wrong")
                .drain("blue", Duration.ofSeconds(1))).isInstanceOf(BatonException.class);
    }

    @Test
    void keepAliveConnectionFollowsTheSwitch() throws Exception {
        HttpClient one = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(one.send(HttpRequest.newBuilder(url("/")).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("blue");
        router.switchTo("green");
        assertThat(one.send(HttpRequest.newBuilder(url("/")).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("green");
    }

    @Test
    void forwardedHeadersAreSet() throws Exception {
        String body = get("/headers").body();
        assertThat(body).contains("for=127.0.0.1").contains("proto=http").contains("host=127.0.0.1:" + router.publicPort());
    }

    @Test
    void whatAClientSaysAboutItsAddressIsReplacedNotAppendedTo() throws Exception {
        String body = http.send(HttpRequest.newBuilder(url("/headers")).header("X-Forwarded-For", "6.6.6.6")
                .header("X-Real-IP", "6.6.6.6").header("Forwarded", "for=6.6.6.6").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("for=127.0.0.1 ", "real=127.0.0.1 ").doesNotContain("6.6.6.6");
    }

    @Test
    void aTrustedProxysForwardedForIsAppendedToAndItsClientIsTheRealIp() throws Exception {
        router.close();
        // a load balancer at 127.0.0.1 in front (and one behind it at 10.1.2.3): the rightmost
        // address that is not a trusted proxy is the client, as nginx's realip module finds it
        router = new Router(new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                TOKEN, List.of(new Route("/", Map.of("blue", blue.uri(), "green", green.uri()))), tmp.resolve("state3.json"), "blue",
                List.of(AddressRange.parse("127.0.0.0/8"), AddressRange.parse("10.0.0.0/8")))).start();
        String body = http.send(HttpRequest.newBuilder(url("/headers")).header("X-Forwarded-For", "203.0.113.7, 10.1.2.3")
                .header("X-Forwarded-Proto", "https").header("Forwarded", "for=203.0.113.7").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("for=203.0.113.7, 10.1.2.3, 127.0.0.1 ", "real=203.0.113.7 ", "proto=https ")
                .contains("forwarded=[for=203.0.113.7");
    }

    @Test
    void addressRangesAreLiteralAddressesOrCidrBlocks() throws Exception {
        assertThat(AddressRange.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(AddressRange.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(AddressRange.parse("192.168.1.5").contains(InetAddress.getByName("192.168.1.5"))).isTrue();
        assertThat(AddressRange.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(AddressRange.parse("fd00::/8").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> AddressRange.parse("lb.example.com")).hasMessageContaining("expected an IP address or a CIDR block");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("must be 0 to 32");
        assertThatThrownBy(() -> AddressRange.parse("300.1.1.1")).hasMessageContaining("is not an IP address");
    }

    @Test
    void pathsAreNormalisedBeforeRouting() throws Exception {
        router.close();
        RouterSettings s = new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                TOKEN, List.of(new Route("/api", Map.of("blue", blue.uri(), "green", blue.uri())),
                new Route("/", Map.of("blue", green.uri(), "green", green.uri()))), tmp.resolve("state2.json"), "blue");
        router = new Router(s).start();
        assertThat(get("/api/x").body()).as("the api route").isEqualTo("blue");
        assertThat(get("/api/../x").body()).as("/api/../x is /x: not the api's").isEqualTo("green");
        HttpResponse<String> encoded = get("/api/%2e%2e/x");
        assertThat(encoded.statusCode()).as("encoded dots are ambiguous: refused, never the api's").isEqualTo(400);
    }

    @Test
    void upstreamErrorsPassThroughAndAnUnreachableUpstreamIs502() throws Exception {
        HttpResponse<String> fail = get("/fail");
        assertThat(fail.statusCode()).isEqualTo(500);
        assertThat(fail.body()).isEqualTo("blue says no");
        assertThat(fail.headers().firstValue("Server")).as("the router names no server and version").isEmpty();
        green.close();
        router.switchTo("green");
        HttpResponse<String> gone = get("/");
        assertThat(gone.statusCode()).isEqualTo(502);
        assertThat(gone.headers().firstValue("Server")).isEmpty();
        assertThat(gone.body()).doesNotContainIgnoringCase("jetty");
    }

    @Test
    void streamingResponsesPassThroughUnbuffered() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // the upstream has not finished: it waits for release, so this line can only come unbuffered
            assertThat(in.readLine()).isEqualTo("data: first");
            blue.release.countDown();
            assertThat(in.readLine()).isEmpty();
            assertThat(in.readLine()).isEqualTo("data: second");
        }
    }

    @Test
    void activeColourSurvivesARestart() throws Exception {
        router.switchTo("green");
        router.close();
        router = start(tmp.resolve("state.json"));
        assertThat(router.active()).isEqualTo("green");
        assertThat(get("/").body()).isEqualTo("green");
    }

    @Test
    void aSwitchGivesTheColourItsRoutesWhichARestartKeepsWhateverTheSettingsSay() throws Exception {
        try (Upstream moved = new Upstream("green-moved"); Upstream api = new Upstream("green-api")) {
            // green's next version listens elsewhere, and has a route of its own
            RouterStatus s = admin().switchTo("green", List.of(new Route("/", Map.of("green", moved.uri())),
                    new Route("/api", Map.of("green", api.uri(), "blue", blue.uri()))));
            assertThat(s.active()).isEqualTo("green");
            assertThat(get("/").body()).isEqualTo("green-moved");
            assertThat(get("/api/x").body()).isEqualTo("green-api");
            assertThat(Files.readString(tmp.resolve("state.json"))).contains("\"green\":[\"/api " + api.uri(), "/ " + moved.uri());

            admin().switchTo("blue"); // blue keeps its own: it has no /api route
            assertThat(get("/api/x").body()).isEqualTo("blue");
            // a restart (its supervisor's) reads settings that still give green its old upstream: the switch's stay
            router.close();
            router = start(tmp.resolve("state.json"));
            assertThat(router.active()).isEqualTo("blue");
            admin().switchTo("green");
            assertThat(get("/").body()).isEqualTo("green-moved");
            assertThat(get("/api/x").body()).isEqualTo("green-api");
            assertThat(router.routesOf("blue")).containsExactly("/ " + blue.uri());
        }
    }

    @Test
    void routesThatAreNotRoutesAreRefusedAndNothingSwitches() throws Exception {
        for (String bad : new String[] {"nonsense", "/ ftp://127.0.0.1:21", "/ http://127.0.0.1:9/x", "api http://127.0.0.1:9",
                "/ http://127.0.0.1"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort()
                    + "/switch?colour=green&route=" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).containsAnyOf("a route is", "expected http://host:port");
        }
        assertThatThrownBy(() -> router.switchTo("a\"b", List.of("/ " + green.uri()))).hasMessageContaining("not a colour name");
        assertThat(router.active()).isEqualTo("blue");
        assertThat(router.routesOf("green")).containsExactly("/ " + green.uri());
        assertThat(Files.readString(tmp.resolve("state.json"))).doesNotContain("ftp");
    }

    @Test
    void adminSwitchNeedsTheTokenAndAKnownColour() throws Exception {
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort()
                + "/switch?colour=green")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        HttpResponse<String> openStatus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort()
                + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(openStatus.statusCode()).as("status without a token: open to monitoring").isEqualTo(200);
        RouterClient otherApps = new RouterClient(URI.create("http://127.0.0.1:" + router.adminPort()), "wrong");
        assertThatThrownBy(otherApps::isRunning).as("answers, but is not this client's router")
                .hasMessageContaining("refuses this config's admin token").hasMessageContaining("router.admin");
        assertThatThrownBy(() -> otherApps.switchTo("green")).hasMessageContaining("refuses this config's admin token");
        RouterClient nobody = new RouterClient(URI.create("http://127.0.0.1:" + Ports.free()), TOKEN);
        assertThat(nobody.isRunning()).as("nothing on the port").isFalse();
        // a refused connection has no message of its own: the error names its kind, never "null"
        assertThatThrownBy(nobody::status).hasMessageContaining("does not answer: ").hasMessageNotContaining("null");
        assertThatThrownBy(() -> admin().switchTo("purple")).hasMessageContaining("purple").hasMessageContaining("400");
        assertThat(router.active()).isEqualTo("blue");
        assertThat(get("/").body()).isEqualTo("blue");
    }

    @Test
    void aTokenFileMadeAnewWhileTheRouterRunsIsTakenAndAConfiguredTokenNeverChanges() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("router.token"), TOKEN + "\n");
        RouterSettings s = new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0),
                TOKEN, List.of(new Route("/", Map.of("blue", blue.uri(), "green", green.uri()))), tmp.resolve("s3.json"), "blue",
                List.of(), tokenFile);
        try (Router fromFile = new Router(s).start()) {
            URI adminUri = URI.create("http://127.0.0.1:" + fromFile.adminPort());
            // the file deleted and made again by a deploy (or edited by hand) while this router ran
            Files.writeString(tokenFile, "made-anew\n");
            assertThat(new RouterClient(adminUri, "made-anew").switchTo("green").active()).isEqualTo("green");
            assertThatThrownBy(() -> new RouterClient(adminUri, TOKEN).switchTo("blue")).as("the old token is gone")
                    .hasMessageContaining("refuses this config's admin token");
            assertThatThrownBy(() -> new RouterClient(adminUri, "anything-else").switchTo("blue"))
                    .hasMessageContaining("refuses this config's admin token");
            assertThat(fromFile.active()).isEqualTo("green");
        }
        // router's own token, from baton.yml: a file beside it means nothing
        Files.writeString(tokenFile, "made-anew\n");
        assertThatThrownBy(() -> admin().switchTo("purple")).hasMessageContaining("400"); // its token still works
        assertThatThrownBy(() -> new RouterClient(URI.create("http://127.0.0.1:" + router.adminPort()), "made-anew").switchTo("green"))
                .hasMessageContaining("refuses this config's admin token");
    }

    @Test
    void adminEndpointMustBeLoopback() {
        RouterSettings s = new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("0.0.0.0", 0),
                TOKEN, List.of(new Route("/", Map.of("blue", blue.uri()))), tmp.resolve("s2.json"), "blue");
        assertThatThrownBy(() -> new Router(s)).isInstanceOf(BatonException.class).hasMessageContaining("loopback");
    }
}
