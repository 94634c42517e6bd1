package dev.baton.deploy.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.fakes.FakeRouter;
import dev.baton.deploy.fakes.Journal;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.probe.PortProbe;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import dev.baton.testing.Await;
import dev.baton.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AwaitHealthy counts answers only from the process Baton started: a real process that hands the
 * port to a daemon it does not own (here busybox httpd, which detaches) fails the step, though
 * the port answers every health check; and a rollback does not start a colour whose port
 * something else holds.
 */
class ForeignListenerTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path dir;

    ProcessRuntime runtime;
    DeployConfig config;
    int port;

    @AfterEach
    void stopAll() throws Exception {
        if (config != null) {
            runtime.stop(config.services().get("api"), "green");
            // the daemon is not ours to find by pid file: stop whatever holds the port
            PortProbe.listeners(new LocalHost(), port).keySet().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        }
    }

    @Test
    void aPortAnsweredByAProcessBatonDidNotStartFailsTheHealthCheck() throws Exception {
        requireBusybox();
        port = Ports.free();
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "not the app\n");
        Path file = dir.resolve("baton.yml");
        // busybox httpd without -f detaches: the port is then held by a process that is not ours
        Files.writeString(file, """
                app: shop
                services:
                  api:
                    shell: "%s httpd -p 127.0.0.1:$PORT -h %s; exec sleep 60"
                    ports: {blue: %d, green: %d}
                    health: [/index.html]
                router:
                  listen: 127.0.0.1:%d
                """.formatted(BUSYBOX, dir.resolve("www"), Ports.free(), port, Ports.free()));
        DeployContext ctx = context(file);
        runtime.start(config.services().get("api"), "green");
        long ours = runtime.pid(config.services().get("api"), "green").orElseThrow();

        assertThatThrownBy(() -> new AwaitHealthy().run(ctx))
                .hasMessageContaining("services.api.green: port " + port + " answers, but not from the process Baton started (pid "
                        + ours + ")")
                .hasMessageContaining("busybox (pid");
    }

    @Test
    void aRollbackRefusesAPortSomethingElseListensOnNamingItAndStartsNothing() throws Exception {
        requireBusybox();
        port = Ports.free();
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, """
                app: shop
                services:
                  api:
                    command: [sleep, "60"]
                    ports: {blue: %d, green: %d}
                    health: [/]
                router:
                  listen: 127.0.0.1:%d
                """.formatted(Ports.free(), port, Ports.free()));
        DeployContext ctx = context(file);
        Process foreign = new ProcessBuilder(BUSYBOX.toString(), "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", dir.toString()).start();
        try {
            Await.until(() -> PortProbe.taken(new LocalHost(), port).isPresent(), "busybox httpd listening");

            assertThatThrownBy(() -> new StartIfStopped().run(ctx))
                    .hasMessageContaining("port " + port + " of services.api.green is taken by busybox (pid " + foreign.pid() + ")")
                    .hasMessageContaining("nothing was started");
            assertThat(runtime.running(config.services().get("api"), "green")).isFalse();
        } finally {
            foreign.destroy();
        }
    }

    private DeployContext context(Path file) {
        config = DeployConfigReader.read(file, Map.of());
        runtime = new ProcessRuntime(config.stateDir(), new LocalHost());
        Server server = new Server("local", new LocalHost(), runtime, new FakeRouter("local", new Journal(), "blue"), "127.0.0.1");
        DeployContext ctx = new DeployContext(config, List.of(server), new LocalHost(), Optional.empty(),
                new DeployLog(dir.resolve("deploy.log")), null, "r1", null, DeployState.NONE);
        ctx.colours("blue", "green");
        return ctx;
    }

    private static void requireBusybox() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(BUSYBOX)) {
            assertThat(ci).as("CI must have busybox (apt-get install busybox-static)").isFalse();
            assumeTrue(false, "no " + BUSYBOX + ": install busybox-static to run this test");
        }
    }
}
