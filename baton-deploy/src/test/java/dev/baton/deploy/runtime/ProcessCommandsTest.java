package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime's commands on a server: fixed scripts, the config's values only as arguments. */
class ProcessCommandsTest {
    @TempDir
    Path dir;

    @Test
    void startPassesTheArgvAndEnvironmentAsDataNeverInTheScript() throws Exception {
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, """
                app: shop
                services:
                  api:
                    command: [java, -jar, "api; rm -rf /.jar"]
                    ports: {blue: 8000, green: 8001}
                    health: [/health]
                    env: {GREETING: "$(reboot)"}
                    stop_grace: 2s
                router:
                  listen: 127.0.0.1:8080
                """);
        ServiceSpec api = DeployConfigReader.read(file, Map.of()).services().get("api");
        ProcessCommands commands = new ProcessCommands("/srv/shop", "10.0.0.5");

        Command start = commands.start(api, "green", CpuPriority.Start.NORMAL);
        assertThat(start.argv().subList(0, 4)).containsExactly("/bin/sh", "-c", ProcessCommands.START, "baton-start");
        assertThat(start.argv().subList(4, 8)).containsExactly("/srv/shop/logs/api-green.log",
                "/srv/shop/run/api-green.pid", api.workDir().toString(), "java");
        assertThat(start.argv().get(8)).as("the line that marks this start in the log").startsWith("--- baton started api green at ");
        assertThat(start.argv().subList(9, start.argv().size())).containsExactly("java", "-jar", "api; rm -rf /.jar");
        assertThat(start.env()).containsEntry("PORT", "8001").containsEntry("BATON_COLOR", "green")
                .containsEntry("BATON_HOST", "10.0.0.5").containsEntry("GREETING", "$(reboot)");
        assertThat(ProcessCommands.START).doesNotContain("rm -rf", "reboot");

        assertThat(commands.stop(api, "green").argv()).containsExactly("/bin/sh", "-c", ProcessCommands.STOP, "baton-stop",
                "/srv/shop/run/api-green.pid", "20", "8001", "green");
        assertThat(commands.running(api, "blue").argv()).containsExactly("/bin/sh", "-c", ProcessCommands.RUNNING,
                "baton-running", "/srv/shop/run/api-blue.pid", "8000", "blue");
        assertThat(commands.start(api, "green", CpuPriority.Start.ALL_LOW).argv().subList(9, 18)).as("a starting colour, low")
                .containsExactly("/bin/sh", "-c", CpuPriority.LOWER_GROUP, "baton-low", "nice", "-n", "10", "java", "-jar");
        assertThat(commands.start(api, "green", CpuPriority.Start.GROUP_LOW).argv().subList(9, 15))
                .as("a starting colour, low where its threads could not be raised back: its session's group only")
                .containsExactly("/bin/sh", "-c", CpuPriority.LOWER_GROUP, "baton-low", "java", "-jar");
        assertThat(commands.raise(api, "green").argv()).startsWith("/bin/sh", "-c").endsWith("baton-raise", "/srv/shop/run/api-green.pid");
        assertThat(commands.logTail(api, "blue", 10).argv()).containsExactly("tail", "-n", "10", "--", "/srv/shop/logs/api-blue.log");
    }
}
