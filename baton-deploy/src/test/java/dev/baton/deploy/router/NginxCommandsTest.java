package dev.baton.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.NginxSettings;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(c.test().argv()).containsExactly("nginx", "-t");
        assertThat(c.reload().argv()).containsExactly("nginx", "-s", "reload");
        assertThat(c.running().argv()).containsExactly("pgrep", "-x", "nginx");
        assertThat(c.linkedFile().argv()).containsExactly("readlink", "--", dir.resolve("shop").toString());
        // paths are arguments of a fixed script, never pasted into it
        assertThat(c.point("/etc/nginx/sites-available/shop.green").argv())
                .containsExactly("/bin/sh", "-c", NginxCommands.POINT, "baton", dir.resolve("shop").toString(),
                        "/etc/nginx/sites-available/shop.green");
        assertThat(c.workers().argv()).containsExactly("/bin/sh", "-c", NginxCommands.WORKERS, "baton", "/run/nginx.pid");
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
}
