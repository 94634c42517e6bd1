package dev.baton.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.fakes.FakeHost;
import dev.baton.deploy.port.RouterView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What status learns of nginx on a server: running, not running, or not known (the server did not answer). */
class NginxRouterViewTest {
    @TempDir
    Path dir;

    @Test
    void aServerThatDoesNotAnswerIsNotKnownNotANginxThatIsDown() throws Exception {
        Path file = Files.writeString(dir.resolve("baton.yml"), """
                app: shop
                hosts: [{name: web-1, address: 10.0.0.11}]
                services:
                  api:
                    command: [./api]
                    ports: {blue: 8000, green: 8001}
                    health: none
                router: {type: nginx, listen: 0.0.0.0:80, nginx: {site: /etc/nginx/sites-enabled/shop.conf}}
                """);
        DeployConfig c = DeployConfigReader.read(file, Map.of());
        boolean[] reachable = {false};
        FakeHost host = new FakeHost("web-1", false).answering(cmd -> {
            if (!reachable[0]) {
                throw new BatonException(ExitCode.FAILED, "web-1: cannot connect to 10.0.0.11:22 over SSH: Connection refused");
            }
            return FakeHost.exit(1, "");
        });
        NginxRouter nginx = new NginxRouter(c.app(), c.router(), c.nginx(), host, "10.0.0.11");

        RouterView unreachable = nginx.view();
        assertThat(unreachable.running()).isFalse();
        assertThat(unreachable.error()).isEqualTo("web-1: cannot connect to 10.0.0.11:22 over SSH: Connection refused");

        reachable[0] = true; // the server answers: nginx is not running there
        RouterView down = nginx.view();
        assertThat(down.running()).isFalse();
        assertThat(down.error()).isNull();
    }
}
