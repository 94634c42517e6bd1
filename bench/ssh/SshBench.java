import dev.baton.Json;
import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.migrate.DatabaseUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/ssh: `baton deploy` of the demo app's v2 over SSH to 1 and to 3 servers (sshd + nginx
 * each, on 127.0.0.2..4), after a v1 deploy. Reports the deploy's wall time and Baton's overhead:
 * wall time minus the unavoidable waits (the slowest host's start-to-healthy, the migration,
 * the slowest drain+stop), which Baton's step timings give because hosts run in parallel.
 */
public class SshBench {
    static Path root;

    public static void main(String[] args) throws Exception {
        root = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        String admin = System.getenv().getOrDefault("BATON_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        System.out.println("hosts run  wall_ms  healthy_ms  warmup_ms  migrate_ms  switch_ms  drain_stop_ms  overhead_ms");
        for (int hosts : new int[] {1, 3}) {
            List<double[]> rows = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double[] r = deploy(admin, hosts, run);
                rows.add(r);
                System.out.printf("%-5d %-4d %-8.0f %-11.0f %-10.0f %-11.0f %-10.0f %-14.0f %.0f%n", hosts, run, r[0], r[1], r[2], r[3],
                        r[4], r[5], r[6]);
            }
            double[] med = new double[7];
            for (int c = 0; c < 7; c++) {
                int col = c;
                med[c] = rows.stream().mapToDouble(x -> x[col]).sorted().toArray()[rows.size() / 2];
            }
            System.out.printf("median for %d host(s): wall %.0f ms, healthy %.0f, warm-up %.0f, migrate %.0f, switch %.0f,"
                    + " drain+stop %.0f => overhead %.0f ms%n", hosts, med[0], med[1], med[2], med[3], med[4], med[5], med[6]);
        }
    }

    static double[] deploy(String admin, int hosts, int run) throws Exception {
        Path dir = root.resolve("bench/work/ssh-" + hosts + "-" + run);
        deleteTree(dir);
        Files.createDirectories(dir);
        DatabaseUrl adminDb = DatabaseUrl.parse(admin, null, null);
        String db = "baton_bench_ssh";
        sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        sql(adminDb, "CREATE DATABASE " + db);
        String jdbc = adminDb.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1")
                + (adminDb.user() == null ? "" : (adminDb.jdbcUrl().contains("?") ? "&" : "?") + "user=" + adminDb.user());
        URI pg = URI.create(adminDb.jdbcUrl().substring(5));
        DemoWorkspace ws = DemoWorkspace.create(dir.resolve("app"), jdbc, pg.getHost() + ":" + (pg.getPort() < 0 ? 5432 : pg.getPort()),
                root.resolve("examples/demo-app/target/demo-app.jar"), root.resolve("examples/demo-app/releases"));
        List<Process> started = new ArrayList<>();
        try {
            keygen(dir.resolve("user_key"));
            StringBuilder yaml = new StringBuilder("\nhosts:\n");
            int listen = ws.port("LISTEN");
            for (int i = 0; i < hosts; i++) {
                String address = "127.0.0.2".substring(0, 8) + (2 + i);
                Path h = Files.createDirectories(dir.resolve("host-" + i));
                keygen(h.resolve("host_key"));
                Files.copy(dir.resolve("user_key.pub"), h.resolve("authorized_keys"));
                int port = freePort();
                Files.writeString(h.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress " + address,
                        "HostKey " + h.resolve("host_key"), "PidFile " + h.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + h.resolve("authorized_keys"), "PasswordAuthentication no", "UsePAM no",
                        "StrictModes no", "PermitRootLogin prohibit-password", "LogLevel ERROR", "Subsystem sftp internal-sftp",
                        // no ~/.bashrc per command (bash reads it for sshd only at SHLVL 0): this machine's root
                        // .bashrc runs `pyenv init`, 1.7 s a command, which is the account's cost, not Baton's
                        "SetEnv SHLVL=1", ""));
                Files.createDirectories(Path.of("/run/sshd"));
                started.add(new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", h.resolve("sshd_config").toString())
                        .redirectErrorStream(true).redirectOutput(h.resolve("sshd.log").toFile()).start());
                Files.writeString(dir.resolve("known_hosts"), "[" + address + "]:" + port + " " + Files.readString(h.resolve("host_key.pub")),
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Path ng = Files.createDirectories(h.resolve("nginx"));
                Files.createDirectories(ng.resolve("logs"));
                Files.createDirectories(ng.resolve("sites-enabled"));
                Files.writeString(ng.resolve("nginx.conf"), "worker_processes 1;\npid " + ng.resolve("nginx.pid") + ";\nerror_log "
                        + ng.resolve("logs/error.log") + " warn;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n  include "
                        + ng.resolve("sites-enabled") + "/*.conf;\n}\n");
                started.add(new ProcessBuilder("nginx", "-p", ng.toString(), "-c", ng.resolve("nginx.conf").toString(), "-g", "daemon off;")
                        .redirectErrorStream(true).redirectOutput(ng.resolve("logs/out.log").toFile()).start());
                String p = "nginx, -p, \"" + ng + "\", -c, \"" + ng.resolve("nginx.conf") + "\"";
                yaml.append("  - {name: web-").append(i + 1).append(", address: ").append(address).append(", port: ").append(port)
                        .append(", dir: ").append(h.resolve("server")).append(", listen: \"").append(address).append(':').append(listen)
                        .append("\", nginx: {site: ").append(ng.resolve("sites-enabled/demo.conf")).append(", available: ")
                        .append(ng.resolve("sites-available")).append(", test: [").append(p).append(", -t], reload: [").append(p)
                        .append(", -s, reload], pid_file: ").append(ng.resolve("nginx.pid")).append("}}\n");
                awaitPort(address, port);
                awaitFile(ng.resolve("nginx.pid"));
            }
            String text = Files.readString(ws.config());
            String router = text.substring(text.indexOf("router:\n"), text.indexOf("\n\n", text.indexOf("router:\n")) + 2);
            text = text.replace(router, "router:\n  type: nginx\n  listen: 127.0.0.2:" + listen + "\n  nginx: {site: /unused/sites-enabled/demo.conf}\n\n");
            Files.writeString(ws.config(), text + yaml + "ssh:\n  user: " + System.getProperty("user.name") + "\n  key: "
                    + dir.resolve("user_key") + "\n  known_hosts: " + dir.resolve("known_hosts") + "\n");
            baton(ws, 1);
            long from = System.nanoTime();
            Map<String, Object> out = baton(ws, 2);
            double wall = (System.nanoTime() - from) / 1e6;
            @SuppressWarnings("unchecked")
            Map<String, Object> steps = (Map<String, Object>) out.get("step_ms");
            double healthy = num(steps, "StartTarget") + num(steps, "AwaitHealthy");
            double warmup = num(steps, "WarmUp");
            double migrate = num(steps, "Migrate");
            double sw = num(steps, "SwitchTraffic");
            double drain = num(steps, "DrainAndStop");
            return new double[] {wall, healthy, warmup, migrate, sw, drain, wall - healthy - warmup - migrate - drain};
        } finally {
            for (int i = 0; i < hosts; i++) {
                DemoWorkspace.stopAll(dir.resolve("host-" + i).resolve("server"));
            }
            ws.stopAll();
            for (Process p : started) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> baton(DemoWorkspace ws, int version) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("baton").toString(), "deploy", "--confirm", "deploy-demo", "--json")
                .directory(ws.dir().toFile()).redirectError(ws.dir().resolve("deploy-v" + version + ".err").toFile());
        pb.environment().put("DEMO_VERSION", Integer.toString(version));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("deploy v" + version + " failed; see " + ws.dir().resolve("deploy-v" + version + ".err"));
        }
        return (Map<String, Object>) Json.parse(out);
    }

    static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    static void keygen(Path file) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(String host, int port) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException e) {
                LockSupport.parkNanos(20_000_000L);
            }
        }
        throw new IllegalStateException(host + ":" + port + " did not open");
    }

    static void awaitFile(Path f) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(f)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(f + " did not appear");
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    static void sql(DatabaseUrl db, String statement) throws Exception {
        Properties p = new Properties();
        if (db.user() != null) {
            p.setProperty("user", db.user());
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
