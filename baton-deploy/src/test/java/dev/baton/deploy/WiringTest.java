package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.runtime.DockerRuntime;
import dev.baton.deploy.runtime.ProcessRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A colour is stopped by what started it, which baton.yml may have changed since. */
class WiringTest {
    @TempDir
    Path dir;

    @Test
    void aColourIsStoppedByTheRuntimeItWasRecordedAsStartedBy() throws Exception {
        Files.writeString(dir.resolve("baton.yml"), """
                app: shop
                services:
                  api:
                    image: shop:v2
                    ports: {blue: 8000, green: 8001}
                    health: none
                router:
                  listen: 127.0.0.1:8080
                runtime: {type: docker, cli: podman, args: [--runtime, runc]}
                """);
        DeployConfig config = DeployConfigReader.read(dir.resolve("baton.yml"), Map.of());
        assertThat(config.runtimeKind()).containsExactly("docker", "shop", "podman", "--runtime", "runc");
        Server server = Wiring.servers(config, null).get(0);
        ServiceSpec api = config.services().get("api");

        assertThat(server.runtimeFor(config.runtimeKind())).isSameAs(server.runtime());
        assertThat(server.runtimeFor(List.of())).as("recorded before Baton kept it: today's").isSameAs(server.runtime());
        assertThat(server.runtimeFor(List.of("process"))).isInstanceOf(ProcessRuntime.class);
        // started when the app had another name, with docker: its containers are named after that app
        assertThat(server.runtimeFor(List.of("docker", "old-shop", "docker"))).isInstanceOf(DockerRuntime.class);
        List<String> stop = server.runtimeFor(List.of("docker", "old-shop", "docker")).stopCommands(api, "blue").stream()
                .map(Command::argv).flatMap(List::stream).toList();
        assertThat(stop).contains("docker", "old-shop-api-blue").doesNotContain("podman", "shop-api-blue");
    }
}
