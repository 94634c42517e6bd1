package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recovery around the router and the drain: the router killed mid-deploy or outside one,
 * Ctrl-C while the old colour drains, a deleted state.json. Apart from {@link DeployRecoveryIT}
 * so that the two run side by side.
 */
class RouterRecoveryIT extends DemoTestBase {
    @Test
    void ctrlCWhileTheOldColourDrainsFinishesTheDeployInsteadOfSwitchingBackToAStoppingColour() throws Exception {
        demo.deployed(1);
        // a request on blue that the drain waits for until the test lets it end (a timed one ended
        // before the drain began on a slow machine)
        var slow = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(demo.ws.publicUri().resolve("/api/hold"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Await.until(() -> demo.blueInFlight() > 0, "the held request in flight on blue");
        Path out = work.resolve("ctrl-c.out");
        Process deploy = demo.deployInBackground(2).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Await.until(() -> read(out).contains("✓ Validate"), "the deploy draining blue");
        new ProcessBuilder("kill", "-INT", Long.toString(deploy.pid())).start().waitFor();
        Await.until(() -> read(out).contains("interrupted: stopping"), "the deploy to take the Ctrl-C");
        assertThat(deploy.isAlive()).as("the drain waits for the held request: " + read(out)).isTrue();
        URI blue = URI.create("http://127.0.0.1:" + demo.ws.port("BLUE") + "/api/release");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(blue).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // before: the drain was cut short, SwitchTraffic undone, and traffic sent back to a colour
        // that was being stopped (every request a 502 until the next deploy)
        String text = read(out);
        assertThat(deploy.exitValue()).as("ended by SIGINT, as the shell reports it: " + text).isEqualTo(130);
        assertThat(text).contains("interrupted: stopping the deploy", "✓ DrainAndStop", "Deployed demo").doesNotContain("undone");
        HttpResponse<String> held = slow.get(30, TimeUnit.SECONDS);
        assertThat(held.statusCode()).as("the request blue was serving finished").isEqualTo(200);
        assertThat(held.body()).contains("\"released\":true", "\"version\":1");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.status().get("services").toString()).contains("blue=stopped");
        assertThat(demo.status().get("active")).isEqualTo("green");
    }

    @Test
    void theRouterKilledWhileTheOldColourDrainsIsRestoredAndTheDeployFinishes() throws Exception {
        demo.deployed(1);
        // a request on blue that the drain waits for, long enough to kill the router meanwhile
        var slow = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(demo.ws.publicUri().resolve("/api/slow?ms=30000"))
                .build(), HttpResponse.BodyHandlers.discarding());
        Await.until(() -> demo.blueInFlight() > 0, "the slow request in flight on blue");
        Process deploy = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("router-killed.out").toFile()).start();
        Path out = work.resolve("router-killed.out");
        Await.until(() -> read(out).contains("SwitchTraffic") && read(out).contains("Validate"), "the deploy draining blue");
        long router = routerPid();
        new ProcessBuilder("kill", "-9", Long.toString(router)).start().waitFor();
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        slow.cancel(true);

        // before: the drain failed, the undo could not switch back, green was stopped anyway, and
        // the next deploy restarted the router on a stopped colour (every request a 502). Now the
        // supervisor restarts the router, the deploy waits for it, and the drain (whose request
        // died with the old router) finishes
        String text = read(out);
        assertThat(deploy.exitValue()).as(text).isZero();
        assertThat(routerPid()).as("a new router process").isNotEqualTo(router);
        assertThat(Files.readString(demo.ws.stateDir().resolve("logs/router.log"))).contains("exited with 137");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        assertThat(demo.status().get("services").toString()).contains("blue=stopped");
    }

    @Test
    void aRouterKilledOutsideADeployServesItsColourAgainWithoutOne() throws Exception {
        demo.deployed(1);
        long router = routerPid();
        long killed = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(router)).start().waitFor();

        Await.until(() -> {
            try {
                return demo.get("/api/version").equals("200 {\"version\":1,\"colour\":\"blue\"}");
            } catch (Exception e) {
                return false; // refused until the new router listens
            }
        }, "the router serving blue again");
        long ms = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("router serving again " + ms + " ms after kill -9");
        assertThat(routerPid()).isNotEqualTo(router);
        // the pom sets BATON_ROUTER_JAVA_OPTS for the tests: the supervisor passes it on to the router it restarts
        assertThat(arguments(routerPid())).containsSubsequence(System.getenv("BATON_ROUTER_JAVA_OPTS").split(" "));
        assertThat(arguments(routerPid())).as("the router on C1").contains("-XX:TieredStopAtLevel=1");
        assertThat(arguments(pid("run/router-supervisor.pid"))).as("the supervisor on C1 and a small heap")
                .contains("-XX:TieredStopAtLevel=1", "-Xmx32m");
        assertThat(demo.deploy(2).exitCode()).as("a deploy through the restarted router").isZero();
    }

    @Test
    void aRouterKilledDuringWarmUpIsRestoredBeforeTheSwitch() throws Exception {
        demo.deployed(1);
        Path journal = demo.ws.stateDir().resolve("journal.json");
        Process deploy = demo.deployInBackground(2).redirectErrorStream(true)
                .redirectOutput(work.resolve("warmup-killed.out").toFile()).start();
        Await.until(() -> read(journal).contains("\"step\":\"WarmUp\""), "the deploy warming green up");
        long router = routerPid();
        new ProcessBuilder("kill", "-9", Long.toString(router)).start().waitFor();
        assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // before: SwitchTraffic failed on the dead router, which stayed dead; the console said
        // "traffic stays on blue" while nothing answered at all
        String text = read(work.resolve("warmup-killed.out"));
        assertThat(deploy.exitValue()).as(text).isZero();
        assertThat(text).contains("✓ SwitchTraffic");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
    }

    @Test
    void aDeletedStateFileIsRebuiltFromTheRouterAndTheNextDeployDrainsTheLiveColour() throws Exception {
        demo.deployed(1);
        Files.delete(demo.ws.stateDir().resolve("state.json"));

        // before: a first deploy, which switched away from blue without draining it and left it running
        BatonProcess.Result r = demo.deployed(2);

        assertThat(r.err()).contains("Recover", "recorded blue as active").containsPattern("DetectActive .*blue → green")
                .containsPattern("DrainAndStop .*stopped blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        Map<String, Object> status = demo.status();
        assertThat(status.get("previous")).isEqualTo("blue");
        assertThat(status.get("services").toString()).contains("blue=stopped");
    }

    @Test
    void afterARebootOneRecoverStartsTheRouterAndTheServingColourAgainAsItRan() throws Exception {
        demo.deployed(1);
        demo.deployed(2);
        // a reboot: every process Baton started is gone. The supervisor first, so that it cannot start
        // a router again in between; then whatever runs for this workspace and what the pid files name
        ProcessHandle supervisor = ProcessHandle.of(pid("run/router-supervisor.pid")).orElseThrow();
        supervisor.destroyForcibly();
        Await.until(() -> !supervisor.isAlive(), "the supervisor gone");
        List<ProcessHandle> all = new ArrayList<>(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(demo.ws.config().toString())).toList());
        try (var files = Files.list(demo.ws.stateDir().resolve("run"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                ProcessHandle.of(pid("run/" + f.getFileName())).ifPresent(all::add);
            }
        }
        assertThat(all).as("the router and green").hasSizeGreaterThanOrEqualTo(2);
        all.forEach(ProcessHandle::destroyForcibly);
        Await.until(() -> all.stream().noneMatch(ProcessHandle::isAlive), "every process gone");
        // and the router's state file edited by hand meanwhile: alone, the router would not start on it
        Files.writeString(demo.ws.stateDir().resolve("router-state.json"), "{\"active\": \"gre");

        BatonProcess.Result status = demo.inProcess(2, "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.err()).contains("the router is not running, so nothing serves",
                "api green does not run, though green serves; run: baton recover");

        BatonProcess.Result recover = demo.inProcess(2, "recover");

        assertThat(recover.exitCode()).as(recover.err()).isZero();
        assertThat(recover.err()).contains("router-state.json could not be read (kept as", "the router starts serving green, as state.json says",
                "started the router", "started api green again as it last ran", "Recovered: green serves");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        BatonProcess.Result after = demo.inProcess(2, "status");
        assertThat(after.exitCode()).as(after.err()).isZero();
    }

    private long routerPid() throws IOException {
        return pid("run/router.pid");
    }

    private long pid(String file) throws IOException {
        return Long.parseLong(Files.readString(demo.ws.stateDir().resolve(file)).strip().split(" ")[0]);
    }

    private static List<String> arguments(long pid) {
        return List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
    }

    static String read(Path file) {
        return DeployRecoveryIT.read(file);
    }
}
