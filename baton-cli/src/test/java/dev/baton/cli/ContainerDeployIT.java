package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.deploy.ssh.Sshd;
import dev.baton.testing.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The docker runtime for real, on Podman and on a Docker Engine of the test's own: images made
 * from busybox-static, containers run over SSH on a server whose router is nginx.
 */
@ResourceLock(ContainerEngine.PODMAN_RUN_STATE)
class ContainerDeployIT {
    @TempDir
    Path work;

    ContainerEngine engine;
    Sshd sshd;
    Nginx nginx;
    DemoFixture demo;
    String tag = "localhost/baton-it-" + UUID.randomUUID().toString().substring(0, 8);

    void setUp(String engineName) throws Exception {
        engine = ContainerEngine.of(engineName, work);
        for (int v = 1; v <= 2; v++) {
            image(v);
        }
        sshd = new Sshd(Files.createDirectories(work.resolve("sshd")));
        nginx = new Nginx(work.resolve("nginx"));
        demo = new DemoFixture(work.resolve("app"));
        demo.useNginx(nginx);
        Matcher command = Pattern.compile("    command: \\[java[^\\n]*\\n").matcher(Files.readString(demo.ws.config()));
        assertThat(command.find()).isTrue();
        demo.ws.edit(command.group(), "    image: \"" + tag + ":v${DEMO_VERSION}\"\n"
                // as the reference: the web server's user owns the assets (root here, so no sudo)
                + "    static: {from: /www/static, to: " + work.resolve("static") + ", owner: \"www-data:www-data\"}\n");
        // the images know their version: DEMO_VERSION names the image only, so a rollback need not set it
        demo.ws.edit("      DEMO_VERSION: ${DEMO_VERSION:-1}\n", "");
        demo.ws.edit("stop_grace: 10s", "stop_grace: 2s");
        demo.ws.edit("health: [/api/health, /api/health/db]", "health: [/api/health]");
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/version]"); // warmed up through the tunnel
        demo.ws.edit("validate: [/api/health, /api/health/db, /api/items]", "validate: [/api/health, /api/version]");
        Matcher migrations = Pattern.compile("  engine: builtin[^\\n]*\\n").matcher(Files.readString(demo.ws.config()));
        assertThat(migrations.find()).isTrue();
        // the migration runs inside the new container, as the reference runs alembic with docker exec
        demo.ws.edit(migrations.group(), "  engine: command\n  command: [" + engine.cliYaml() + ", exec, \"{{container.api}}\","
                + " /bin/sh, -c, \"echo migrated-in-$BATON_COLOR > /www/migrated\"]\n");
        // this stand-in migration creates no table, so there is none for Verify to check
        demo.ws.edit("  verify_tables: [items]", "  verify_tables: []");
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config())
                + "\nhosts: [{name: web-1, address: 127.0.0.1}]\nssh:\n  user: " + sshd.user + "\n  port: " + sshd.port
                + "\n  key: " + sshd.userKey + "\n  known_hosts: " + sshd.knownHosts + "\n  dir: " + work.resolve("server") + "\n"
                + engine.runtimeYaml());
    }

    /** An image whose busybox httpd serves /api/health, /api/version and a static file, on $PORT. */
    void image(int version) throws Exception {
        Path rootfs = work.resolve("image-v" + version).resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "httpd", "echo", "cat")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path www = Files.createDirectories(rootfs.resolve("www/api"));
        Files.writeString(www.resolve("health"), "{\"status\":\"ok\"}\n");
        Files.writeString(www.resolve("version"), "{\"version\":" + version + "}\n");
        Files.createDirectories(rootfs.resolve("www/static"));
        Files.writeString(rootfs.resolve("www/static/app.css"), "/* v" + version + " */\n");
        engine.image(rootfs, "[\"/bin/sh\", \"-c\", \"exec /bin/httpd -f -p ${PORT} -h /www\"]", tag + ":v" + version);
    }

    /** The container's CPU weight from its cgroup: {@code cpu.shares=N} (cgroup v1; v2's default weight counts as 1024). */
    static String cpuWeight(String id) throws Exception {
        try (var dirs = Files.find(Path.of("/sys/fs/cgroup"), 4, (p, a) -> a.isDirectory() && p.getFileName().toString().contains(id))) {
            for (Path d : dirs.toList()) {
                for (String f : List.of("cpu.shares", "cpu.weight")) {
                    if (Files.exists(d.resolve(f))) {
                        String v = Files.readString(d.resolve(f)).strip();
                        // cgroup v2's default weight 100 is v1's 1024 shares
                        return f.equals("cpu.weight") && v.equals("100") ? "cpu.shares=1024" : f + "=" + v;
                    }
                }
            }
        }
        return "no cgroup with a CPU weight for " + id;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine == null) {
            return;
        }
        try (ContainerEngine e = engine) {
            for (String c : List.of("blue", "green")) {
                e.exit("rm", "-f", "demo-api-" + c);
            }
            e.exit("rmi", "-f", tag + ":v1", tag + ":v2");
            DemoWorkspace.stopAll(work.resolve("server"));
            if (demo != null) {
                demo.close();
            }
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            if (sshd != null) {
                sshd.close();
            }
        }
    }

    /**
     * A team moves its app into containers (runtime: docker) and back: each colour is stopped by
     * what started it, recorded in state.json (before: the old colour's process, which the docker
     * runtime does not know, ran on unseen, holding its port).
     */
    @org.junit.jupiter.api.Test
    void anAppMovedIntoContainersAndBackIsStoppedByWhatStartedEachColour() throws Exception {
        engine = ContainerEngine.of("podman", work);
        image(2);
        demo = new DemoFixture(work.resolve("app"));
        String processes = Files.readString(demo.ws.config());
        demo.deployed(1);
        long bluePid = Long.parseLong(Files.readString(demo.ws.stateDir().resolve("run/api-blue.pid")).split(" ")[0]);

        Matcher command = Pattern.compile("    command: \\[java[^\\n]*\\n").matcher(processes);
        assertThat(command.find()).isTrue();
        demo.ws.edit(command.group(), "    image: \"" + tag + ":v${DEMO_VERSION}\"\n");
        demo.ws.edit("health: [/api/health, /api/health/db]", "health: [/api/health]");
        demo.ws.edit("      paths: [/api/items, /api/version]", "      paths: [/api/version]");
        demo.ws.edit("validate: [/api/health, /api/health/db, /api/items]", "validate: [/api/health, /api/version]");
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config()) + "\n" + engine.runtimeYaml());
        BatonProcess.Result containers = demo.deploy(2);
        assertThat(containers.exitCode()).as(containers.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2}\n");
        Await.until(() -> ProcessHandle.of(bluePid).filter(ProcessHandle::isAlive).isEmpty(), "blue's process stopped at the drain");

        Files.writeString(demo.ws.config(), processes); // and back to processes
        BatonProcess.Result back = demo.deploy(2);
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"blue\"}");
        assertThat(engine.exit("inspect", "demo-api-green")).as("green's container removed at the drain").isNotZero();
        assertThat(demo.inProcess(2, "status").out()).contains("blue=running(pid", "green=stopped");
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"podman", "docker"})
    void containersDeployOverSshThroughNginxUnderLoad(String engineName) throws Exception {
        setUp(engineName);
        BatonProcess.Result first = demo.deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(engine.run("inspect", "-f", "{{.State.Running}} {{index .Config.Labels \"baton.colour\"}}", "demo-api-blue").strip())
                .isEqualTo("true blue");
        assertThat(demo.get("/migrated")).isEqualTo("200 migrated-in-blue\n");

        URI base = demo.ws.publicUri();
        BatonProcess.Result second = demo.deployUnderLoad(2, List.of(base.resolve("/api/version"), base.resolve("/api/health")), 200);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("✓ PublishStatic", "✓ Migrate", "✓ DrainAndStop", "pruned old images on 1 host");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2}\n");
        assertThat(demo.get("/migrated")).isEqualTo("200 migrated-in-green\n");
        assertThat(Files.readString(work.resolve("static/green/app.css"))).isEqualTo("/* v2 */\n");
        assertThat(Files.getOwner(work.resolve("static/green/app.css")).getName()).isEqualTo("www-data");
        assertThat(Files.getOwner(work.resolve("static/green")).getName()).isEqualTo("www-data");
        assertThat(engine.exit("inspect", "demo-api-blue")).as("the blue container is removed").isNotZero();
        // started at a tenth of the CPU weight (start_priority: low), raised before it took traffic:
        // read from its cgroup, as Podman 4's inspect keeps showing the value it was created with
        assertThat(cpuWeight(engine.run("inspect", "-f", "{{.Id}}", "demo-api-green").strip())).isEqualTo("cpu.shares=1024");

        // on-call rolls back from a shell where VERSION still says 2: blue must come back as it ran
        // (v1, recorded in state.json), not as today's baton.yml resolves (before: it started v2 on blue)
        BatonProcess.Result back = demo.baton(2, new String[0], "rollback");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.err()).containsPattern("StartIfStopped .*started 1 on blue \\(" + tag + ":v1, version \\S+\\)");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1}\n");
        Map<String, Object> status = demo.status();
        assertThat(status.get("colours").toString()).contains(tag + ":v1", tag + ":v2");
    }
}
