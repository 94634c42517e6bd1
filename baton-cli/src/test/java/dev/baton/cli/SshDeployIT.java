package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.deploy.ssh.Sshd;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy to a server over SSH, as the reference pipeline does: a real sshd on loopback stands
 * for the server (its processes run on this machine, under the SSH login), nginx is its router.
 */
class SshDeployIT {
    @TempDir
    Path work;

    Sshd sshd;
    Nginx nginx;
    DemoFixture demo;
    Path server;

    @BeforeEach
    void setUp() throws Exception {
        sshd = new Sshd(Files.createDirectories(work.resolve("sshd")));
        nginx = new Nginx(work.resolve("nginx"));
        demo = new DemoFixture(work.resolve("app"));
        server = work.resolve("server");
        demo.useNginx(nginx);
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config()) + "\nhosts: [{name: web-1, address: 127.0.0.1}]\n"
                + "ssh:\n  user: " + sshd.user + "\n  port: " + sshd.port + "\n  key: " + sshd.userKey + "\n"
                + "  known_hosts: " + sshd.knownHosts + "\n  dir: " + server + "\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            DemoWorkspace.stopAll(server);
            demo.close();
        } finally {
            nginx.close();
            sshd.close();
        }
    }

    @Test
    void deployOverSshThroughNginxUnderLoadFailsNoRequest() throws Exception {
        BatonProcess.Result first = demo.deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.exists(server.resolve("run/api-blue.pid"))).as("the service runs under the server's folder").isTrue();

        URI base = demo.ws.publicUri();
        BatonProcess.Result second = demo.deployUnderLoad(2, List.of(base.resolve("/api/items"), base.resolve("/api/version")), 300);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("✓ DrainAndStop", "BLUE → GREEN");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        String log = Files.readString(Path.of(second.err().replaceAll("(?s).*Log: +(\\S+).*", "$1").strip()));
        Matcher healthy = Pattern.compile("healthy: http://127\\.0\\.0\\.1:(\\d+)/api/health").matcher(log);
        assertThat(healthy.find()).as(log).isTrue();
        assertThat(Integer.parseInt(healthy.group(1))).as("health checked through an SSH tunnel").isNotEqualTo(demo.ws.port("GREEN"));
        BatonProcess.Result status = demo.inProcess(2, "status", "--json");
        assertThat(status.out()).contains("\"active\":\"green\"").containsPattern("\"green\":\\{[^}]*\"host\":\"web-1\"")
                .contains("\"blue\":\"stopped\"");
    }

    @Test
    void aReleaseFolderIsUploadedAndTheServicesStartFromIt() throws Exception {
        Path dist = Files.createDirectories(work.resolve("app/dist"));
        Files.copy(DemoFixture.APP_JAR, dist.resolve("demo-app.jar"));
        Matcher jar = Pattern.compile("-jar, ([^\\]]+)]").matcher(Files.readString(demo.ws.config()));
        assertThat(jar.find()).isTrue();
        demo.ws.edit("-jar, " + jar.group(1) + "]", "-jar, demo-app.jar]"); // relative: run in the release's folder
        Files.writeString(demo.ws.config(), Files.readString(demo.ws.config())
                + "runtime: {type: process, release: dist, keep_releases: 1}\n");
        // an old release, from before: not in use, beyond keep_releases
        Files.createDirectories(server.resolve("releases/0.9"));
        Files.writeString(server.resolve("releases/0.9/.baton-release"), "2026-01-01T00:00:00Z\n");
        Files.setLastModifiedTime(server.resolve("releases/0.9"), FileTime.fromMillis(0));

        BatonProcess.Result first = demo.baton(1, new String[0], "deploy", "--confirm", "deploy-demo", "--version", "1.0");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).containsPattern("✓ Ship .* release 1.0 to web-1 \\([\\d.]+ MB compressed");
        assertThat(server.resolve("releases/1.0/demo-app.jar")).hasSameBinaryContentAs(DemoFixture.APP_JAR);
        assertThat(cwd("blue")).isEqualTo(server.resolve("releases/1.0"));
        assertThat(server.resolve("releases/0.9")).as("pruned: the newest 1 and those in use are kept").doesNotExist();

        BatonProcess.Result second = demo.baton(2, new String[0], "deploy", "--confirm", "deploy-demo", "--version", "2.0");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(cwd("green")).isEqualTo(server.resolve("releases/2.0"));
        assertThat(server.resolve("releases/1.0")).as("blue's release is kept for a rollback").isDirectory();

        // DEMO_VERSION (in the services' env:) as blue ran it: with 2, the rollback would be refused, naming it
        BatonProcess.Result back = demo.baton(1, new String[0], "rollback");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(cwd("blue")).as("a rollback starts the release that colour ran").isEqualTo(server.resolve("releases/1.0"));

        BatonProcess.Result again = demo.baton(2, new String[0], "deploy", "--confirm", "deploy-demo", "--version", "2.0");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).containsPattern("✓ Ship .* release 2.0 already on the host");
        assertThat(cwd("green")).isEqualTo(server.resolve("releases/2.0"));
    }

    /** The folder the colour's process runs in, on the server. */
    Path cwd(String colour) throws Exception {
        String pid = Files.readString(server.resolve("run/api-" + colour + ".pid")).strip().split(" ")[0];
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd"));
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAnythingStarts() throws Exception {
        Path empty = Files.writeString(work.resolve("empty_known_hosts"), "");
        demo.ws.edit("known_hosts: " + sshd.knownHosts, "known_hosts: " + empty);

        BatonProcess.Result r = demo.deploy(1);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at DetectActive", "web-1: the host key of 127.0.0.1:" + sshd.port + " is not in "
                + empty, "ssh-keyscan");
        assertThat(server.resolve("run")).doesNotExist();
    }
}
