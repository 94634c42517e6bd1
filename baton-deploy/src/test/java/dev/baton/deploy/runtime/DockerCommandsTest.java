package dev.baton.deploy.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.fakes.FakeHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker CLI's argv, built without running anything. */
class DockerCommandsTest {
    @TempDir
    Path dir;

    DockerCommands commands;
    ServiceSpec api;

    void read(String runtime) throws Exception {
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, """
                app: shop
                runtime:
                %s
                services:
                  api:
                    image: "registry.example.com/shop-api:v2"
                    ports: {blue: 8000, green: 8001}
                    health: [/health]
                    stop_grace: 1500ms
                router:
                  listen: 127.0.0.1:8080
                """.formatted(runtime));
        DeployConfig c = DeployConfigReader.read(file, Map.of());
        commands = new DockerCommands(c.app(), c.docker());
        api = c.services().get("api");
    }

    @Test
    void runStartsALabelledDetachedContainerWithItsPortOnTheBindAddressAndEnvInAFile() throws Exception {
        read("  type: docker\n  run_args: [--init]");
        assertThat(commands.run(api, "green", "/srv/shop/env/shop-api-green.env", "10.0.0.5").argv()).containsExactly(
                "docker", "run", "-d", "--name", "shop-api-green",
                "--label", "baton.app=shop", "--label", "baton.service=api", "--label", "baton.colour=green",
                "--env-file", "/srv/shop/env/shop-api-green.env", "-e", "PORT=8001", "-e", "BATON_COLOR=green",
                "-e", "BATON_HOST=10.0.0.5", "-p", "10.0.0.5:8001:8001", "--cpu-shares", "102", "--init",
                "registry.example.com/shop-api:v2");
        assertThat(commands.raise(api, "green").argv()).as("raised before it takes traffic")
                .containsExactly("docker", "update", "--cpu-shares", "1024", "shop-api-green");
    }

    @Test
    void aServiceAtNormalPriorityStartsWithoutCpuShares() throws Exception {
        read("  type: docker");
        ServiceSpec normal = new ServiceSpec(api.name(), api.argv(), api.env(), api.workDir(), api.ports(), api.health(), null, null,
                null, api.stopGrace(), api.image(), null, false, false);
        assertThat(commands.run(normal, "green", "/e", "10.0.0.5").argv()).doesNotContain("--cpu-shares");
    }

    @Test
    void everyCommandGoesThroughTheConfiguredCliAndItsArgs() throws Exception {
        read("  type: docker\n  cli: podman\n  args: [--runtime, runc]\n  prune: 168h");
        assertThat(commands.running(api, "blue").argv())
                .containsExactly("podman", "--runtime", "runc", "inspect", "-f", "{{.State.Running}}", "shop-api-blue");
        assertThat(commands.stop(api, "blue").argv()).containsExactly("podman", "--runtime", "runc", "stop", "-t", "2", "shop-api-blue");
        assertThat(commands.remove(api, "blue").argv()).containsExactly("podman", "--runtime", "runc", "rm", "-f", "shop-api-blue");
        assertThat(commands.logs(api, "blue", 10).argv()).containsExactly("podman", "--runtime", "runc", "logs", "--tail", "10", "shop-api-blue");
        assertThat(commands.copyOut(api, "blue", "/app/public", "/var/www/shop/blue").argv())
                .containsExactly("podman", "--runtime", "runc", "cp", "shop-api-blue:/app/public/.", "/var/www/shop/blue");
        assertThat(commands.pruneImages("168h").argv())
                .containsExactly("podman", "--runtime", "runc", "image", "prune", "-a", "-f", "--filter", "until=168h");
        assertThat(List.of(commands.run(api, "blue", "e", "127.0.0.1").timeout())).containsOnly(DockerCommands.DEADLINE);
    }

    @Test
    void thePortCheckAsksForTheNetworkModeAndThePublishedPort() throws Exception {
        read("  type: docker");
        assertThat(commands.networkMode(api, "green").argv())
                .containsExactly("docker", "inspect", "-f", "{{.HostConfig.NetworkMode}}", "shop-api-green");
        assertThat(commands.publishedPort(api, "green").argv()).containsExactly("docker", "port", "shop-api-green", "8001/tcp");
    }

    @Test
    void aContainerThatDoesNotHoldItsPortsPublicationIsNamedAndOneOnTheHostNetworkIsNotChecked() throws Exception {
        read("  type: docker");
        DeployConfig c = DeployConfigReader.read(dir.resolve("baton.yml"), Map.of());
        String[] mode = {"bridge"};
        String[] published = {"127.0.0.1:8001"};
        FakeHost host = new FakeHost("web-1", false).answering(cmd -> cmd.argv().contains("port") ? FakeHost.ok(published[0] + "\n")
                : cmd.argv().contains("{{.HostConfig.NetworkMode}}") ? FakeHost.ok(mode[0] + "\n") : FakeHost.ok(""));
        DockerRuntime runtime = new DockerRuntime(host, c.app(), c.docker(), "/srv/shop", "127.0.0.1");

        assertThat(runtime.listenerProblems(api, "green")).isEmpty();
        published[0] = "";
        assertThat(runtime.listenerProblems(api, "green")).singleElement().asString()
                .isEqualTo("web-1: container shop-api-green does not publish port 8001 (docker port: nothing)");
        mode[0] = "host";
        assertThat(runtime.listenerProblems(api, "green")).isEmpty();
    }

    @Test
    void aContainerThatIsNotThereIsNotRunningButAnEngineThatDoesNotAnswerIsNoAnswer() throws Exception {
        Path file = Files.writeString(dir.resolve("baton.yml"), """
                app: shop
                runtime: {type: docker}
                services:
                  api:
                    image: shop:1
                    ports: {blue: 8000, green: 8001}
                    health: none
                router:
                  listen: 127.0.0.1:8080
                """);
        DeployConfig c = DeployConfigReader.read(file, Map.of());
        ServiceSpec api = c.services().get("api");
        String[] answer = {"Error: No such object: shop-api-green"};
        FakeHost host = new FakeHost("web-1", false).answering(cmd -> FakeHost.exit(1, answer[0]));
        DockerRuntime runtime = new DockerRuntime(host, c.app(), c.docker(), "/srv/shop", "127.0.0.1");

        assertThat(runtime.running(api, "green")).isFalse();
        answer[0] = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
        assertThatThrownBy(() -> runtime.running(api, "green")).isInstanceOf(BatonException.class)
                .hasMessage("web-1: cannot tell whether container shop-api-green runs: Cannot connect to the Docker daemon at"
                        + " unix:///var/run/docker.sock. Is the docker daemon running?");
    }
}
