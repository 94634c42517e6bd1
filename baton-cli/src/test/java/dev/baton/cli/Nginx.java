package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx for one test: its own prefix and main config, which includes
 * {@code <prefix>/sites-enabled/*.conf}, where Baton's site link goes. Outside CI a machine
 * without nginx skips the test with the reason; with CI=true it fails (.ci/run installs nginx).
 */
final class Nginx implements AutoCloseable {
    final Path prefix;
    final Path conf;
    private final Process process;

    Nginx(Path prefix) throws Exception {
        Path bin = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx")).stream().filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (bin == null) {
            assertThat("true".equals(System.getenv("CI"))).as("CI must have nginx (apt-get install nginx)").isFalse();
            Assumptions.abort("no nginx on this machine (apt-get install nginx); skipping nginx tests");
        }
        this.prefix = prefix;
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("sites-enabled"));
        conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, "worker_processes 2;\npid " + prefix.resolve("nginx.pid") + ";\nerror_log "
                + prefix.resolve("logs/error.log") + " warn;\nevents { worker_connections 1024; }\n"
                + "http {\n  access_log off;\n  include " + prefix.resolve("sites-enabled") + "/*.conf;\n}\n");
        process = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/out.log").toFile()).start();
        Await.until(() -> Files.exists(prefix.resolve("nginx.pid")) || !process.isAlive(), "nginx to start");
        assertThat(process.isAlive()).as("nginx runs: " + Files.readString(prefix.resolve("logs/out.log"))).isTrue();
    }

    /** The router: section for baton.yml, driving this nginx. */
    String routerYaml(int listen) {
        return "router:\n  type: nginx\n  listen: 127.0.0.1:" + listen + "\n  nginx: " + nginxYaml() + "\n";
    }

    /** The nginx: settings for this nginx, as a YAML flow mapping. */
    String nginxYaml() {
        String p = "nginx, -p, \"" + prefix + "\", -c, \"" + conf + "\"";
        return "{site: " + prefix.resolve("sites-enabled/demo.conf") + ", available: " + prefix.resolve("sites-available")
                + ", test: [" + p + ", -t], reload: [" + p + ", -s, reload], pid_file: " + prefix.resolve("nginx.pid") + "}";
    }

    /** The colour the live site link points at. */
    String linkTarget() throws Exception {
        return Files.readSymbolicLink(prefix.resolve("sites-enabled/demo.conf")).toString();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
