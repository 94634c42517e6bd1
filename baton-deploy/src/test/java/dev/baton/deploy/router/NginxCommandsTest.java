package dev.baton.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.NginxSettings;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nginx's commands as argv, and the link-swap script run by a real /bin/sh. */
class NginxCommandsTest {
    @TempDir
    Path dir;

    NginxCommands commands(Path site) {
        return new NginxCommands(new NginxSettings(site.toString(), dir.toString(), null, List.of("nginx", "-t"),
                List.of("nginx", "-s", "reload"), "/run/nginx.pid"));
    }

    @Test
    void commandsAreTheConfiguredArgv() {
        NginxCommands c = commands(dir.resolve("shop"));
        // a bare nginx is looked for where Debian puts it too: /usr/sbin is not on a non-root user's PATH
        assertThat(c.test().argv()).containsExactly("/bin/sh", "-c", NginxCommands.FIND_NGINX, "baton", "-t");
        assertThat(c.reload().argv()).containsExactly("/bin/sh", "-c", NginxCommands.FIND_NGINX, "baton", "-s", "reload");
        NginxCommands named = new NginxCommands(new NginxSettings("/s", "/a", null, List.of("/opt/nginx/sbin/nginx", "-t"),
                List.of("systemctl", "reload", "nginx"), "/run/nginx.pid"));
        assertThat(named.test().argv()).containsExactly("/opt/nginx/sbin/nginx", "-t");
        assertThat(named.reload().argv()).containsExactly("systemctl", "reload", "nginx");
        assertThat(c.running().argv()).containsExactly("pgrep", "-x", "nginx");
        assertThat(c.linkedFile().argv()).containsExactly("readlink", "--", dir.resolve("shop").toString());
        // paths are arguments of a fixed script, never pasted into it
        assertThat(c.point("/etc/nginx/sites-available/shop.green").argv())
                .containsExactly("/bin/sh", "-c", NginxCommands.POINT, "baton", dir.resolve("shop").toString(),
                        "/etc/nginx/sites-available/shop.green");
        assertThat(c.workers().argv()).containsExactly("/bin/sh", "-c", NginxCommands.WORKERS, "baton", "/run/nginx.pid");
        assertThat(c.acceptingWorkers().argv()).containsExactly("/bin/sh", "-c", NginxCommands.ACCEPTING_WORKERS, "baton", "/run/nginx.pid");
    }

    @Test
    void pointSwapsTheLinkPrintsThePreviousTargetAndRefusesARegularFile() throws Exception {
        Path site = dir.resolve("shop site");
        Path blue = Files.writeString(dir.resolve("shop.blue"), "blue");
        Path green = Files.writeString(dir.resolve("shop.green"), "green");
        LocalHost host = new LocalHost();
        NginxCommands c = commands(site);

        CommandResult first = host.run(c.point(blue.toString()));
        assertThat(first.exitCode()).isZero();
        assertThat(first.output().strip()).isEmpty();
        assertThat(Files.readSymbolicLink(site)).isEqualTo(blue);

        CommandResult second = host.run(c.point(green.toString()));
        assertThat(second.output().strip()).isEqualTo(blue.toString());
        assertThat(Files.readSymbolicLink(site)).isEqualTo(green);

        assertThat(host.run(c.point("")).exitCode()).isZero(); // an empty previous: the link goes
        assertThat(site).doesNotExist();

        Files.writeString(site, "a site someone wrote by hand");
        assertThat(host.run(c.point(green.toString())).exitCode()).isEqualTo(3);
        assertThat(Files.readString(site)).isEqualTo("a site someone wrote by hand");
    }

    @Test
    void theWorkersAcceptingConnectionsAreThoseNotShuttingDown() throws Exception {
        // a master with two workers named as nginx names them, one after a reload told it to stop accepting
        Process master = new ProcessBuilder("bash", "-c", "(exec -a 'nginx: worker process' sleep 60) &"
                + " (exec -a 'nginx: worker process is shutting down' sleep 60) & wait").start();
        try {
            Path pidFile = Files.writeString(dir.resolve("nginx.pid"), master.pid() + "\n");
            NginxCommands c = new NginxCommands(new NginxSettings(dir.resolve("site").toString(), dir.toString(), null,
                    List.of("nginx", "-t"), List.of("nginx", "-s", "reload"), pidFile.toString()));
            LocalHost host = new LocalHost();
            Await.until(() -> master.children().filter(w -> cmdline(w).startsWith("nginx: worker")).count() == 2, "both workers started");
            long accepting = master.children().filter(w -> !cmdline(w).contains("shutting down")).findFirst().orElseThrow().pid();

            assertThat(host.run(c.workers()).output().lines().toList()).hasSize(2);
            assertThat(host.run(c.acceptingWorkers()).output().lines().toList()).containsExactly(Long.toString(accepting));
        } finally {
            master.descendants().forEach(ProcessHandle::destroy);
            master.destroy();
        }
    }

    private static String cmdline(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void nginxIsFoundInUsrSbinWhenItIsNotOnPath() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(nginx) || "true".equals(System.getenv("CI")),
                "no nginx in /usr/sbin on this machine (apt-get install nginx)");
        var version = commands(dir.resolve("shop")).test();
        var argv = new ArrayList<>(version.argv().subList(0, 4));
        argv.add("-v");
        CommandResult r = new LocalHost().run(new Command(argv, Map.of("PATH", "/usr/bin:/bin"),
                null, Duration.ofSeconds(10)));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("nginx version");
    }
}
