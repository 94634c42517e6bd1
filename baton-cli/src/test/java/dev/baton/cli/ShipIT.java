package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code runtime.ship: ssh} for real: images built here are sent over SSH to two servers that have
 * no registry, on Podman and on Docker Engine. Each server is an sshd of its own on its own
 * loopback address whose sessions reach an image store of their own (Podman: a storage of its own
 * by CONTAINERS_STORAGE_CONF; Docker: a daemon of its own by DOCKER_HOST), so an image is on a
 * server only once Baton has shipped it there.
 */
@ResourceLock(ContainerEngine.PODMAN_RUN_STATE)
class ShipIT {
    @TempDir
    Path work;

    ContainerEngine engine;
    final ContainerEngine.Docker[] daemons = new ContainerEngine.Docker[2]; // Docker: each server's own
    final Map<String, String>[] serverEnv = new Map[2];
    LoopbackServers servers;
    final Path[] storage = new Path[2];
    DemoFixture demo;
    final String tag = "localhost/baton-ship-" + UUID.randomUUID().toString().substring(0, 8);

    @SuppressWarnings("unchecked")
    void setUp(String engineName) throws Exception {
        engine = ContainerEngine.of(engineName, work);
        for (int v = 1; v <= 2; v++) {
            image(v);
        }
        demo = new DemoFixture(work.resolve("app"));
        for (int i = 0; i < 2; i++) {
            if (engine instanceof ContainerEngine.Docker) {
                daemons[i] = new ContainerEngine.Docker();
                serverEnv[i] = Map.of("DOCKER_HOST", daemons[i].host());
            } else {
                // vfs: no overlay mounts left behind that would keep the test folder from being deleted
                storage[i] = Files.createDirectories(work.resolve("storage-" + i));
                Files.writeString(storage[i].resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \""
                        + storage[i].resolve("graph") + "\"\nrunroot = \"" + storage[i].resolve("run") + "\"\n");
                serverEnv[i] = Map.of("CONTAINERS_STORAGE_CONF", storage[i].resolve("storage.conf").toString());
            }
        }
        servers = new LoopbackServers(work, 2, demo.ws.port("LISTEN"), i -> serverEnv[i]);
        demo.useNginx(servers.nginx[0]);
        Matcher command = Pattern.compile("    command: \\[java[^\\n]*\\n").matcher(Files.readString(demo.ws.config()));
        assertThat(command.find()).isTrue();
        demo.ws.edit(command.group(), "    image: \"" + tag + ":v${DEMO_VERSION}\"\n");
        demo.ws.edit("stop_grace: 10s", "stop_grace: 2s");
        demo.ws.edit("health: [/api/health, /api/health/db]", "health: [/api/health]");
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/version]");
        demo.ws.edit("validate: [/api/health, /api/health/db, /api/items]", "validate: [/api/health, /api/version]");
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config()) + servers.yaml()
                // the host's network: each server's container binds its own address (BATON_HOST)
                + (engine instanceof ContainerEngine.Docker
                        ? "runtime:\n  type: docker\n  cli: docker\n  run_args: [--network, host, --init, --ulimit, \"nofile=1024:1024\"]\n"
                        : "runtime:\n  type: docker\n  cli: podman\n  args: [--runtime, runc]\n  run_args: [--network, host, --init,"
                                + " --ulimit, \"nofile=1024:1024\", --ulimit, \"nproc=1024:1024\"]\n")
                + "  ship: ssh\n");
    }

    /** An image whose busybox httpd serves /api/health and /api/version on $BATON_HOST:$PORT, with a payload to ship. */
    void image(int version) throws Exception {
        Path rootfs = work.resolve("image-v" + version).resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "httpd")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path www = Files.createDirectories(rootfs.resolve("www/api"));
        Files.writeString(www.resolve("health"), "{\"status\":\"ok\"}\n");
        Files.writeString(www.resolve("version"), "{\"version\":" + version + "}\n");
        byte[] payload = new byte[4 << 20]; // 4 MB that do not compress: the stream is more than a few packets
        new Random(version).nextBytes(payload);
        Files.write(rootfs.resolve("www/payload.bin"), payload);
        engine.image(rootfs, "[\"/bin/sh\", \"-c\", \"exec /bin/httpd -f -p ${BATON_HOST}:${PORT} -h /www\"]", tag + ":v" + version);
    }

    /** The engine's CLI on server {@code i}: its own image store. */
    ProcessBuilder onServer(int i, String... args) {
        List<String> argv = new ArrayList<>(daemons[i] != null ? List.of("docker") : engine.cli());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(serverEnv[i]);
        return pb;
    }

    /** Deploys {@code version}; this machine's docker CLI reaches the test's daemon by DOCKER_HOST. */
    BatonProcess.Result deploy(int version) throws Exception {
        return engine instanceof ContainerEngine.Docker d
                ? demo.batonProcess(version, new String[] {"DOCKER_HOST", d.host()}, "deploy", "--confirm", "deploy-demo")
                : demo.deploy(version);
    }

    String serverOutput(int i, String... args) throws Exception {
        Process p = onServer(i, args).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? out.strip() : "exit " + p.exitValue() + ": " + out.strip();
    }

    String get(int i, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(servers.router(i).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            // every server's containers first: a reset also clears the run folder the servers' Podman shares
            // (/run/libpod), after which the other server's Podman takes its containers for stopped and leaves them running
            for (int i = 0; i < 2; i++) {
                if (storage[i] != null && Files.exists(storage[i].resolve("storage.conf"))) {
                    Process p = onServer(i, "rm", "-a", "-f", "-t", "0").start();
                    p.getInputStream().readAllBytes();
                    p.waitFor(120, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < 2; i++) {
                if (daemons[i] != null) {
                    daemons[i].close();
                }
                if (storage[i] != null && Files.exists(storage[i].resolve("storage.conf"))) {
                    // removes the server's containers, images and mounts
                    Process p = onServer(i, "system", "reset", "-f").start();
                    p.getInputStream().readAllBytes();
                    p.waitFor(120, TimeUnit.SECONDS);
                }
            }
            if (engine != null) {
                engine.exit("rmi", "-f", tag + ":v1", tag + ":v2");
                engine.close();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
            if (servers != null) {
                servers.close();
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"podman", "docker"})
    void imagesGoToEachServerThatLacksThemAndAreSkippedWhereTheyAre(String engineName) throws Exception {
        setUp(engineName);
        String v1 = engine.run("image", "inspect", "-f", "{{.Id}}", tag + ":v1").strip();
        // web-2 has v1 already (a deploy before, or an image pulled by hand)
        Process save = new ProcessBuilder(engine.argv("save", tag + ":v1")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process load = onServer(1, "load").start();
        try (var out = load.getOutputStream()) {
            save.getInputStream().transferTo(out);
        }
        String loaded = new String(load.getInputStream().readAllBytes());
        assertThat(save.waitFor(120, TimeUnit.SECONDS) && load.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(load.exitValue()).as(loaded).isZero();
        assertThat(serverOutput(0, "image", "inspect", "-f", "{{.Id}}", tag + ":v1")).as("web-1 lacks it").startsWith("exit ");

        BatonProcess.Result plan = demo.inProcess(1, "deploy", "--plan");
        assertThat(plan.out()).containsPattern("Ship +" + Pattern.quote(tag) + ":v1: saved here, gzip-compressed, and loaded on each"
                + " of web-1, web-2 that lacks it");

        BatonProcess.Result first = deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).containsPattern("✓ Ship .*" + Pattern.quote(tag) + ":v1 to web-1 \\([\\d.]+ MB compressed, [\\d.]+ MB/s\\);"
                + " 1 had it");
        for (int i = 0; i < 2; i++) {
            assertThat(serverOutput(i, "image", "inspect", "-f", "{{.Id}}", tag + ":v1")).as("web-" + (i + 1)).isEqualTo(v1);
            assertThat(serverOutput(i, "inspect", "-f", "{{.State.Running}} {{.Config.Image}}", "demo-api-blue"))
                    .isEqualTo("true " + tag + ":v1");
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":1}\n");
        }

        if (engine instanceof ContainerEngine.Docker) {
            return; // the same fan-out as on Podman; the suite has no minute to spare for it twice
        }
        BatonProcess.Result second = deploy(2);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).containsPattern("✓ Ship .*" + Pattern.quote(tag) + ":v2 to web-1, web-2 \\([\\d.]+ MB compressed");
        for (int i = 0; i < 2; i++) {
            assertThat(get(i, "/api/version")).isEqualTo("200 {\"version\":2}\n");
        }
    }
}
