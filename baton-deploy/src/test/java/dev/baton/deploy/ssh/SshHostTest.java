package dev.baton.deploy.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.baton.BatonException;
import dev.baton.deploy.config.SshSettings;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SshHost against a real sshd on loopback. */
class SshHostTest {
    @TempDir
    Path dir;

    Sshd sshd;

    @BeforeEach
    void setUp() throws Exception {
        sshd = new Sshd(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sshd != null) { // null when the test was skipped: no sshd outside CI
            sshd.close();
        }
    }

    @Test
    void runsArgvExactlyWithEnvAndFolderOverOneConnection() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("work dir"));
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            List<String> streamed = new ArrayList<>();
            CommandResult r = host.run(new Command(List.of("printf", "%s|", "a b", "it's", "$HOME", "`id`", "; rm -rf /"),
                    Map.of(), null, Duration.ofSeconds(10)), streamed::add);
            assertThat(r.ok()).isTrue();
            assertThat(r.output()).isEqualTo("a b|it's|$HOME|`id`|; rm -rf /|\n");
            assertThat(streamed).containsExactly("a b|it's|$HOME|`id`|; rm -rf /|");

            CommandResult env = host.run(new Command(List.of("/bin/sh", "-c", "echo \"$GREETING\"; pwd; echo oops >&2; exit 7"),
                    Map.of("GREETING", "hello 'there'"), folder, Duration.ofSeconds(10)));
            assertThat(env.exitCode()).isEqualTo(7);
            assertThat(env.output()).contains("hello 'there'\n", folder + "\n", "oops\n");
            assertThat(host.connections()).as("one connection reused").isEqualTo(1);
        }
    }

    @Test
    void aCommandPastItsDeadlineIsReportedAsTimedOut() {
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            long start = System.nanoTime();
            CommandResult r = host.run(Command.of("sleep", "30").timeout(Duration.ofMillis(500)));
            assertThat(r.timedOut()).isTrue();
            assertThat(r.ok()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(host.run(Command.of("true")).ok()).as("the connection still works").isTrue();
        }
    }

    @Test
    void aDroppedConnectionFailsTheCommandInFlightAndTheNextCommandReconnects() throws Exception {
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            assertThat(host.run(Command.of("true")).ok()).isTrue();
            RuntimeException[] inFlight = {null};
            Thread t = new Thread(() -> {
                try {
                    host.run(Command.of("sleep", "30").timeout(Duration.ofSeconds(60)));
                } catch (RuntimeException e) {
                    inFlight[0] = e;
                }
            });
            t.start();
            Await.until(() -> ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").equals("sleep 30")
                    || p.info().commandLine().orElse("").endsWith(" sleep 30")), "the remote sleep to run");
            long start = System.nanoTime();

            sshd.dropConnections();
            t.join(20_000);

            assertThat(t.isAlive()).as("the command in flight ends").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            // not "timed out after 60 s": the connection went
            assertThat(inFlight[0]).isInstanceOf(BatonException.class)
                    .hasMessageContaining("web-1: the SSH connection was lost while `sleep 30` ran")
                    .hasMessageContaining("the next command connects again");
            assertThat(host.run(Command.of("echo", "again")).output()).isEqualTo("again\n");
            assertThat(host.connections()).as("a new connection").isEqualTo(2);
        }
    }

    @Test
    void uploadsAFile() throws Exception {
        Path local = Files.writeString(dir.resolve("site.conf"), "server { listen 80; }\n");
        Path remote = dir.resolve("uploaded.conf");
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            host.upload(local, remote.toString());
        }
        assertThat(Files.readString(remote)).isEqualTo("server { listen 80; }\n");
    }

    @Test
    void anOwnerOnlyFileIsOwnerOnlyOnTheServerFromItsCreationWhateverTheUmask() throws Exception {
        Path local = Files.writeString(dir.resolve("api.env"), "SECRET=s3cr3t\n");
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-------"));
        Path fresh = dir.resolve("env/api-green.env");
        Path existing = Files.writeString(dir.resolve("api-blue.env"), "old\n");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            host.upload(local, fresh.toString());
            host.upload(local, existing.toString());
        }
        assertThat(Files.readString(fresh)).isEqualTo("SECRET=s3cr3t\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-------");
        assertThat(Files.readString(existing)).isEqualTo("SECRET=s3cr3t\n");
    }

    @Test
    void uploadsWithScpIntoANewFolderWhenTheServerHasNoSftp() throws Exception {
        Path local = Files.writeString(dir.resolve("app.css"), "body {}\n");
        Path remote = dir.resolve("static/green/app.css");
        try (Sshd plain = new Sshd(Files.createDirectories(dir.resolve("plain")), "127.0.0.1", false);
             SshHost host = new SshHost("web-2", "127.0.0.1", plain.settings(plain.knownHosts, false))) {
            host.upload(local, remote.toString());
        }
        assertThat(Files.readString(remote)).isEqualTo("body {}\n");
    }

    @Test
    void authenticatesWithAKeyHeldBySshAgent() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(socket)) {
                assertThat(System.nanoTime()).as("ssh-agent's socket").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", sshd.userKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process p = add.start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            // no key file: the agent's key, signed by the agent
            SshSettings s = new SshSettings(sshd.user, sshd.port, null, sshd.knownHosts, false, Duration.ofSeconds(10), socket);
            try (SshHost host = new SshHost("web-1", "127.0.0.1", s)) {
                assertThat(host.run(Command.of("echo", "via agent")).output()).isEqualTo("via agent\n");
            }
        } finally {
            agent.destroy();
        }
    }

    /** A service on the server's loopback (this machine's: the test sshd runs here) answering {@code body}. */
    static HttpServer service(int port, String body) throws IOException {
        HttpServer service = HttpServer.create(
                new InetSocketAddress("127.0.0.1", port), 8);
        service.createContext("/", ex -> {
            byte[] b = body.getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        service.start();
        return service;
    }

    @Test
    void aTunnelOpenedBeforeTheServiceListensKeepsWorkingOnceItDoes() throws Exception {
        int port = Ports.free();
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            URI via = host.reach("127.0.0.1", port);
            var request = HttpRequest.newBuilder(via.resolve("/x")).timeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 3; i++) { // as a health check polls a service that is still starting
                assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                        .as("nothing listens yet").isInstanceOf(IOException.class)
                        .isNotInstanceOf(HttpTimeoutException.class);
            }
            HttpServer service = service(port, "up now");
            try {
                assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("up now");
            } finally {
                service.stop(0);
            }
        }
    }

    @Test
    void reachesAServiceOnTheServersLoopbackThroughATunnel() throws Exception {
        HttpServer service = service(0, "from the server");
        int port = service.getAddress().getPort();
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(sshd.knownHosts, false))) {
            URI via = host.reach("127.0.0.1", port);
            assertThat(via.getPort()).as("a local end of the tunnel").isNotEqualTo(port);
            assertThat(host.reach("127.0.0.1", port)).as("one tunnel per address").isEqualTo(via);
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(via.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("from the server");
            assertThat(host.reach("10.1.2.3", 80).toString()).as("not loopback: reached directly").isEqualTo("http://10.1.2.3:80");

            sshd.dropConnections(); // the tunnel goes on over a new connection
            var again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(via.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.body()).isEqualTo("from the server");
        } finally {
            service.stop(0);
        }
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(empty, false))) {
            assertThatThrownBy(() -> host.run(Command.of("true"))).isInstanceOf(BatonException.class)
                    .hasMessageContaining("web-1: the host key of 127.0.0.1:" + sshd.port + " is not in " + empty)
                    .hasMessageContaining("ssh-keyscan -p " + sshd.port + " 127.0.0.1 >> " + empty);
        }
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWithTrustOnFirstUse() throws Exception {
        Sshd.keygen(dir.resolve("other_key"));
        Path wrong = Files.writeString(dir.resolve("wrong_known_hosts"), "[127.0.0.1]:" + sshd.port + " "
                + Files.readString(dir.resolve("other_key.pub")));
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(wrong, true))) {
            assertThatThrownBy(() -> host.run(Command.of("true"))).isInstanceOf(BatonException.class)
                    .hasMessageContaining("has CHANGED from the one in " + wrong);
        }
    }

    @Test
    void trustOnFirstUseRecordsTheKey() throws Exception {
        Path fresh = dir.resolve("fresh_known_hosts");
        try (SshHost host = new SshHost("web-1", "127.0.0.1", sshd.settings(fresh, true))) {
            assertThat(host.run(Command.of("true")).ok()).isTrue();
        }
        String hostKey = Files.readString(dir.resolve("host_key.pub")).split(" ")[1];
        assertThat(Files.readString(fresh)).contains(hostKey);
        try (SshHost again = new SshHost("web-1", "127.0.0.1", sshd.settings(fresh, false))) {
            assertThat(again.run(Command.of("true")).ok()).as("known now, without trust on first use").isTrue();
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedClearly() throws Exception {
        Sshd.keygen(dir.resolve("stranger_key"));
        SshSettings s = new SshSettings(sshd.user, sshd.port, dir.resolve("stranger_key"), sshd.knownHosts, false,
                Duration.ofSeconds(10), null);
        try (SshHost host = new SshHost("web-1", "127.0.0.1", s)) {
            assertThatThrownBy(() -> host.run(Command.of("true"))).isInstanceOf(BatonException.class)
                    .hasMessageContaining("refused the key " + dir.resolve("stranger_key"));
        }
    }
}
