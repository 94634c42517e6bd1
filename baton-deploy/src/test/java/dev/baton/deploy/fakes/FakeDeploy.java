package dev.baton.deploy.fakes;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import dev.baton.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A deploy's world made of fakes: a baton.yml in a temp folder, servers with fake host, runtime and router, one journal. */
public final class FakeDeploy {
    /** Free ports, so that the port checks of StartTarget find nothing listening. */
    public static final int BLUE = Ports.free();
    public static final int GREEN = Ports.free();
    public static final String CONFIG = """
            app: shop
            services:
              api:
                command: [java, -jar, api.jar]
                ports: {blue: %d, green: %d}
                health: none
            router:
              listen: 127.0.0.1:8080
            """.formatted(BLUE, GREEN);

    public final Journal journal = new Journal();
    public final DeployConfig config;
    public final List<FakeHost> hosts = new ArrayList<>();
    public final List<FakeRuntime> runtimes = new ArrayList<>();
    public final List<FakeRouter> routers = new ArrayList<>();
    public final List<Server> servers = new ArrayList<>();
    public final FakeHost here = new FakeHost("here", true);
    private final Path dir;

    /** {@code servers} servers whose routers serve {@code active} (null: never deployed). */
    public FakeDeploy(Path dir, String yaml, int servers, String active) throws IOException {
        this(dir, yaml, Map.of(), servers, active);
    }

    /** @param env the environment baton.yml is read with ({@code baton.version} among it for a deploy's) */
    public FakeDeploy(Path dir, String yaml, Map<String, String> env, int servers, String active) throws IOException {
        this.dir = dir;
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, yaml);
        this.config = DeployConfigReader.read(file, env);
        for (int i = 1; i <= servers; i++) {
            String name = "web-" + i;
            FakeHost host = new FakeHost(name, false);
            FakeRuntime runtime = new FakeRuntime(name, journal);
            FakeRouter router = new FakeRouter(name, journal, active);
            hosts.add(host);
            runtimes.add(runtime);
            routers.add(router);
            this.servers.add(new Server(name, host, runtime, router, "127.0.0.1"));
        }
    }

    public FakeDeploy(Path dir, int servers, String active) throws IOException {
        this(dir, CONFIG, servers, active);
    }

    /** A context as a deploy starts it, after a last deploy that left {@code before}. */
    public DeployContext context(DeployState before, Migrator migrator) {
        return new DeployContext(config, servers, here, Optional.ofNullable(migrator), new DeployLog(dir.resolve("deploy.log")),
                null, "r1", null, before);
    }

    public static DeployState active(String active, String previous) {
        return new DeployState(active, previous, null, "r0", null, "2026-11-01T00:00:00Z");
    }
}
