import dev.baton.Json;
import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.migrate.DatabaseUrl;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live version's latency while the next one starts, with the starting colour at low CPU
 * priority (start_priority: low, the default) and at normal priority, behind the built-in router
 * and behind nginx. Each run: a fresh database, v1 deployed, the demo's LoadGenerator paced to
 * RATE requests/s through the router (5 s warm-up, 10 s steady state), `./baton deploy` of v2,
 * 2 s more. Variants alternate within a run so that the machine's drift hits both alike.
 * Usage: bench/deploy/priority.sh [RATE] [RUNS].
 */
public class PriorityBench {
    static Path root;

    public static void main(String[] args) throws Exception {
        root = Path.of(args[0]);
        double rate = Double.parseDouble(args[1]);
        int runs = Integer.parseInt(args[2]);
        String admin = System.getenv().getOrDefault("BATON_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        System.out.println("# the live version's p99 while the next starts: " + rate + " requests/s, " + runs
                + " runs per router, start_priority low and normal alternating");
        System.out.println("router  priority  run  sent    failed  steady_p99_ms  deploy_p99_ms  ratio  wall_ms  healthy_ms  overhead_ms");
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String router : List.of("builtin", "nginx")) {
            for (int run = 1; run <= runs; run++) {
                for (String priority : List.of("low", "normal")) {
                    double[] r = deployUnderLoad(admin, rate, run, router, priority);
                    results.computeIfAbsent(router + " " + priority, k -> new ArrayList<>()).add(r);
                }
            }
        }
        System.out.println();
        System.out.println("median   router  priority  failed  steady_p99_ms  deploy_p99_ms  ratio  healthy_ms  overhead_ms");
        Map<String, double[]> med = new LinkedHashMap<>();
        results.forEach((k, rows) -> {
            double[] m = median(rows);
            med.put(k, m);
            System.out.printf("median   %-16s  %-6.0f  %-13.2f  %-13.2f  %-5.2f  %-10.0f  %.0f%n", k, m[1], m[2], m[3], m[4], m[6], m[7]);
        });
        for (String router : List.of("builtin", "nginx")) {
            double[] low = med.get(router + " low");
            double[] normal = med.get(router + " normal");
            System.out.printf("%s: p99 during deploy, low / normal %.2f; time to healthy, low / normal %.2f (%+.0f ms)%n", router,
                    low[3] / normal[3], low[6] / normal[6], low[6] - normal[6]);
        }
    }

    static double[] median(List<double[]> rows) {
        double[] m = new double[rows.get(0).length];
        for (int c = 0; c < m.length; c++) {
            int col = c;
            m[c] = rows.stream().mapToDouble(r -> r[col]).sorted().toArray()[rows.size() / 2];
        }
        return m;
    }

    static double[] deployUnderLoad(String admin, double rate, int run, String router, String priority) throws Exception {
        DatabaseUrl adminDb = DatabaseUrl.parse(admin, null, null);
        String db = "baton_bench_priority";
        sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        sql(adminDb, "CREATE DATABASE " + db);
        String jdbc = adminDb.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1")
                + (adminDb.user() == null ? "" : (adminDb.jdbcUrl().contains("?") ? "&" : "?") + "user=" + adminDb.user());
        Path dir = root.resolve("bench/work/priority");
        delete(dir);
        URI pg = URI.create(adminDb.jdbcUrl().substring(5));
        DemoWorkspace ws = DemoWorkspace.create(dir, jdbc, pg.getHost() + ":" + (pg.getPort() < 0 ? 5432 : pg.getPort()),
                root.resolve("examples/demo-app/target/demo-app.jar"), root.resolve("examples/demo-app/releases"));
        ws.edit("    ports:", "    start_priority: " + priority + "\n    ports:");
        Process nginx = router.equals("nginx") ? nginx(ws, dir.resolve("nginx")) : null;
        try {
            baton(ws, 1);
            URI base = ws.publicUri();
            try (LoadGenerator load = new LoadGenerator(List.of(base.resolve("/api/items"), base.resolve("/api/version")), 16, rate)) {
                load.start();
                pause(Duration.ofSeconds(5)); // warm-up, not measured
                long steadyFrom = System.nanoTime();
                pause(Duration.ofSeconds(10));
                long deployFrom = System.nanoTime();
                Map<String, Object> out = baton(ws, 2);
                long deployTo = System.nanoTime();
                pause(Duration.ofSeconds(2));
                load.close();
                LoadGenerator.Stats all = load.stats();
                LoadGenerator.Stats steady = load.stats(steadyFrom, deployFrom);
                LoadGenerator.Stats during = load.stats(deployFrom, deployTo);
                @SuppressWarnings("unchecked")
                Map<String, Object> steps = (Map<String, Object>) out.get("step_ms");
                double healthy = num(steps, "StartTarget") + num(steps, "AwaitHealthy");
                double wall = (deployTo - deployFrom) / 1e6;
                double overhead = wall - healthy - num(steps, "WarmUp") - num(steps, "Migrate") - num(steps, "DrainAndStop");
                System.out.printf("%-7s %-9s %-4d %-7d %-7d %-14.2f %-14.2f %-6.2f %-8.0f %-11.0f %.0f%n", router, priority, run,
                        all.sent(), all.failed(), steady.p99Ms(), during.p99Ms(), during.p99Ms() / steady.p99Ms(), wall, healthy, overhead);
                if (all.failed() > 0) {
                    load.failures(5).forEach(f -> System.out.println("  failed: " + f));
                }
                if (steady.rate() < rate * 0.9) {
                    System.out.printf("  note: the load reached only %.0f requests/s%n", steady.rate());
                }
                return new double[] {all.sent(), all.failed(), steady.p99Ms(), during.p99Ms(), during.p99Ms() / steady.p99Ms(), wall,
                        healthy, overhead};
            }
        } finally {
            ws.stopAll();
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor(10, TimeUnit.SECONDS);
            }
            sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** An nginx of its own for the workspace (2 workers, as on the reference's server), and baton.yml's router: pointed at it. */
    static Process nginx(DemoWorkspace ws, Path prefix) throws Exception {
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("sites-enabled"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, "worker_processes 2;\npid " + prefix.resolve("nginx.pid") + ";\nerror_log "
                + prefix.resolve("logs/error.log") + " warn;\nevents { worker_connections 4096; }\n"
                + "http {\n  access_log off;\n  include " + prefix.resolve("sites-enabled") + "/*.conf;\n}\n");
        Process p = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/out.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(prefix.resolve("nginx.pid")) && p.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        String n = "nginx, -p, \"" + prefix + "\", -c, \"" + conf + "\"";
        Matcher router = Pattern.compile("(?s)router:\\n.*?\\n\\n").matcher(Files.readString(ws.config()));
        if (!router.find()) {
            throw new IllegalStateException("baton.yml has no router: section");
        }
        ws.edit(router.group(), "router:\n  type: nginx\n  listen: 127.0.0.1:" + ws.port("LISTEN") + "\n  nginx: {site: "
                + prefix.resolve("sites-enabled/demo.conf") + ", available: " + prefix.resolve("sites-available") + ", test: [" + n
                + ", -t], reload: [" + n + ", -s, reload], pid_file: " + prefix.resolve("nginx.pid") + "}\n\n");
        return p;
    }

    static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? 0 : ((Number) v).doubleValue();
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

    static void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    static void sql(DatabaseUrl db, String statement) throws Exception {
        java.util.Properties p = new java.util.Properties();
        if (db.user() != null) {
            p.setProperty("user", db.user());
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
