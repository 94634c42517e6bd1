import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.cli.demo.DemoWorkspace;
import dev.baton.cli.demo.LoadGenerator;
import dev.baton.cli.proxy.ProxyCommand;
import dev.baton.migrate.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/deploy: (1) v1→v2 deploys of the demo app through `baton deploy` (a separate process, as a
 * user runs it) while LoadGenerator sends RATE requests/s through the built-in router: failed
 * requests, p99 during the deploy against steady state, and Baton's overhead (wall time minus the
 * waits it cannot avoid: the new version becoming healthy, the migration, draining and stopping
 * the old one). (2) The built-in router against nginx in front of the same upstream, same load
 * tool at full speed: throughput and p99.
 */
public class DeployBench {
    static Path root;
    /** The load tool of a deploy under load: java (the demo's LoadGenerator, in this JVM) or wrk (bench/deploy/paced.lua). */
    static final String LOAD_TOOL = System.getenv().getOrDefault("BATON_BENCH_LOAD", "java");
    /**
     * The routers of bench/deploy/priority.sh, the demo's warm-up requests per path (baton.yml's default
     * 100) and how many at a time (default 4).
     */
    static final List<String> ROUTERS = List.of(System.getenv().getOrDefault("BATON_BENCH_ROUTERS", "builtin,nginx").split(","));
    static final String WARMUP_REQUESTS = System.getenv().getOrDefault("BATON_BENCH_WARMUP_REQUESTS", "2000");
    static final String WARMUP_CONCURRENCY = System.getenv().getOrDefault("BATON_BENCH_WARMUP_CONCURRENCY", "4");
    /** BATON_BENCH_WARMUP_PATHS: the paths the demo warms up (default its own, /api/items and /api/version). */
    static final String WARMUP_PATHS = System.getenv("BATON_BENCH_WARMUP_PATHS");
    /** How long the load runs before the steady window: a built-in router started for the run is still compiling after 5 s. */
    static final Duration LOAD_WARMUP = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BATON_BENCH_LOAD_WARMUP", "5")));
    /** migrations.lint of the deploys (the demo's default: error). */
    static final String LINT = System.getenv().getOrDefault("BATON_BENCH_LINT", "error");
    /**
     * BATON_BENCH_PLAN=1: {@code baton deploy --plan} of v2 before the steady window, as the reference's workflow
     * runs it before its deploy (the deploy then reuses the plan's lint verdict).
     */
    static final boolean PLAN = "1".equals(System.getenv("BATON_BENCH_PLAN"));
    /**
     * BATON_BENCH_SWITCHED=N: N deploys of v1 under the load before the steady window (each a switch, no migration),
     * so that the measured deploy meets a router that has switched before, as a long-lived one has.
     */
    static final int SWITCHED = Integer.parseInt(System.getenv().getOrDefault("BATON_BENCH_SWITCHED", "0"));
    /** BATON_BENCH_TRACE=1: each deploy's steps and slow requests on one timeline. */
    static final boolean TRACE = "1".equals(System.getenv("BATON_BENCH_TRACE"));
    /** BATON_BENCH_TRACE_MS: the latency above which the trace shows a request (default 10 ms). */
    static final double TRACE_MS = Double.parseDouble(System.getenv().getOrDefault("BATON_BENCH_TRACE_MS", "10"));
    /** BATON_BENCH_PRIORITIES: the start priorities priority.sh compares (default low,normal). */
    static final List<String> PRIORITIES = List.of(System.getenv().getOrDefault("BATON_BENCH_PRIORITIES", "low,normal").split(","));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        root = Path.of(args[0]);
        double rate = Double.parseDouble(args[1]);
        int runs = Integer.parseInt(args[2]);
        String admin = System.getenv().getOrDefault("BATON_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        if (args.length > 3 && args[3].equals("quiet")) { // bench/deploy/quiet.sh
            quiet(admin, runs, args.length > 4 ? Path.of(args[4]) : null);
            return;
        }
        System.out.println("# deploy under load: " + rate + " requests/s, " + runs + " deploys v1→v2 with the demo's warmup:,"
                + " then " + runs + " without it (cold), alternating");
        System.out.println("run  warm  sent    failed  steady_p99_ms  deploy_p99_ms  ratio  wall_ms  healthy_ms  warmup_ms  migrate_ms"
                + "  drain_stop_ms  overhead_ms");
        if (runs == 0) { // bench/deploy/run.sh RATE 0: the router comparison alone
            routerVersusNginx();
            return;
        }
        if (args.length > 3 && args[3].equals("priority")) { // bench/deploy/priority.sh
            priority(admin, rate, runs);
            return;
        }
        List<double[]> warm = new ArrayList<>();
        List<double[]> cold = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            warm.add(deployUnderLoad(admin, rate, run, true));
            cold.add(deployUnderLoad(admin, rate, run, false));
        }
        double[] w = median(warm);
        double[] c = median(cold);
        for (double[] med : List.of(w, c)) {
            System.out.printf("median (%s) sent %.0f failed %.0f  p99 steady %.2f ms, during deploy %.2f ms (ratio %.2f)  wall %.0f ms,"
                    + " healthy %.0f, warm-up %.0f, migrate %.0f, drain+stop %.0f  => overhead %.0f ms%n", med == w ? "warm" : "cold",
                    med[0], med[1], med[2], med[3], med[4], med[5], med[6], med[7], med[8], med[9], med[10]);
        }
        System.out.printf("p99 during deploy, warm / cold: %.2f%n", w[3] / c[3]);
        System.out.println();
        routerVersusNginx();
    }

    static double[] median(List<double[]> rows) {
        double[] med = new double[rows.get(0).length];
        for (int c = 0; c < med.length; c++) {
            int col = c;
            med[c] = rows.stream().mapToDouble(r -> r[col]).sorted().toArray()[rows.size() / 2];
        }
        return med;
    }

    /**
     * The live version's p99 while the next one starts, with the starting colour at low CPU
     * priority (start_priority: low, the default) and at normal priority, behind the built-in
     * router and behind nginx; the variants alternate within a run, so the machine's drift hits both.
     */
    static void priority(String admin, double rate, int runs) throws Exception {
        System.out.println("# start_priority low vs normal, builtin router and nginx, " + runs + " runs each, warm-up on, load tool "
                + LOAD_TOOL);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (String router : ROUTERS) {
            for (int run = 1; run <= runs; run++) {
                for (String priority : PRIORITIES) {
                    System.out.print(router + " " + priority + ": ");
                    results.computeIfAbsent(router + " " + priority, k -> new ArrayList<>())
                            .add(deployUnderLoad(admin, rate, run, true, router, priority));
                }
            }
        }
        Map<String, double[]> med = new LinkedHashMap<>();
        results.forEach((k, rows) -> {
            double[] m = median(rows);
            med.put(k, m);
            System.out.printf("median (%s) failed %.0f  p99 steady %.2f ms, during deploy %.2f ms (ratio %.2f)  wall %.0f ms,"
                    + " healthy %.0f  => overhead %.0f ms%n", k, m[1], m[2], m[3], m[4], m[5], m[6], m[10]);
        });
        for (String router : PRIORITIES.size() < 2 ? List.<String>of() : ROUTERS) {
            double[] low = med.get(router + " low");
            double[] normal = med.get(router + " normal");
            System.out.printf("%s: p99 during deploy, low / normal %.2f; time to healthy, low / normal %.2f (%+.0f ms)%n", router,
                    low[3] / normal[3], low[6] / normal[6], low[6] - normal[6]);
        }
    }

    /**
     * A v1→v2 deploy with no load, timed as a user sees it (the launcher started to its exit), each
     * run on a fresh database and workspace; with {@code other}, a second checkout's launcher takes
     * turns with this one (an A/B of two commits on the same machine, same minutes).
     */
    static void quiet(String admin, int runs, Path other) throws Exception {
        DatabaseUrl adminDb = DatabaseUrl.parse(admin, null, null);
        String db = "baton_bench_quiet";
        List<Path> roots = other == null ? List.of(root) : List.of(other, root);
        Map<Path, List<Double>> walls = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (Path r : roots) {
                sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                sql(adminDb, "CREATE DATABASE " + db);
                String jdbc = adminDb.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1")
                        + (adminDb.user() == null ? "" : (adminDb.jdbcUrl().contains("?") ? "&" : "?") + "user=" + adminDb.user());
                Path dir = root.resolve("bench/work/quiet");
                deleteTree(dir);
                URI pg = URI.create(adminDb.jdbcUrl().substring(5));
                DemoWorkspace ws = DemoWorkspace.create(dir, jdbc, pg.getHost() + ":" + (pg.getPort() < 0 ? 5432 : pg.getPort()),
                        r.resolve("examples/demo-app/target/demo-app.jar"), r.resolve("examples/demo-app/releases"));
                try {
                    baton(r, ws, 1);
                    long from = System.nanoTime();
                    baton(r, ws, 2);
                    double wall = (System.nanoTime() - from) / 1e6;
                    walls.computeIfAbsent(r, k -> new ArrayList<>()).add(wall);
                    System.out.printf("run %d  %s  wall %.0f ms%n", run, r, wall);
                } finally {
                    ws.stopAll();
                    sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                }
            }
        }
        walls.forEach((r, w) -> System.out.printf("median %s: %.0f ms (%d runs)%n", r,
                w.stream().sorted().toList().get(w.size() / 2), w.size()));
    }

    static double[] deployUnderLoad(String admin, double rate, int run, boolean warm) throws Exception {
        return deployUnderLoad(admin, rate, run, warm, "builtin", "low");
    }

    static double[] deployUnderLoad(String admin, double rate, int run, boolean warm, String router, String priority) throws Exception {
        DatabaseUrl adminDb = DatabaseUrl.parse(admin, null, null);
        String db = "baton_bench_deploy";
        sql(adminDb, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        sql(adminDb, "CREATE DATABASE " + db);
        String jdbc = adminDb.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1")
                + (adminDb.user() == null ? "" : (adminDb.jdbcUrl().contains("?") ? "&" : "?") + "user=" + adminDb.user());
        Path dir = root.resolve("bench/work/deploy-" + run);
        deleteTree(dir);
        URI pg = URI.create(adminDb.jdbcUrl().substring(5));
        DemoWorkspace ws = DemoWorkspace.create(dir, jdbc, pg.getHost() + ":" + (pg.getPort() < 0 ? 5432 : pg.getPort()),
                root.resolve("examples/demo-app/target/demo-app.jar"), root.resolve("examples/demo-app/releases"));
        if (!warm) {
            Files.writeString(ws.config(), Files.readString(ws.config()).replaceFirst("(?m)^    warmup:.*\n(^      .*\n)*", ""));
        }
        ws.edit("    ports:", "    start_priority: " + priority + "\n    ports:");
        if (warm) {
            ws.edit("requests: 2000", "requests: " + WARMUP_REQUESTS + "\n      concurrency: " + WARMUP_CONCURRENCY);
            if (WARMUP_PATHS != null) {
                ws.edit("paths: [/api/items, /api/version]", "paths: [" + WARMUP_PATHS + "]");
            }
        }
        ws.edit("  lint: error", "  lint: " + LINT);
        Process nginx = router.equals("nginx") ? nginx(ws, dir.resolve("nginx")) : null;
        try {
            baton(ws, 1);
            URI base = ws.publicUri();
            try (Load load = LOAD_TOOL.equals("wrk") ? new WrkLoad(base, 16, rate, List.of("/api/items", "/api/version"))
                    : new JavaLoad(new LoadGenerator(List.of(base.resolve("/api/items"), base.resolve("/api/version")), 16, rate))) {
                for (int i = 0; i < SWITCHED; i++) {
                    baton(ws, 1);
                }
                pause(LOAD_WARMUP); // warm-up, not measured
                if (PLAN) {
                    plan(root, ws, 2);
                    pause(Duration.ofSeconds(2)); // the plan's JVM gone before the steady window
                }
                long steadyFrom = System.nanoTime();
                pause(Duration.ofSeconds(10));
                long deployFrom = System.nanoTime();
                Instant deployWall = Instant.now();
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
                double warmup = num(steps, "WarmUp");
                double migrate = num(steps, "Migrate");
                double drain = num(steps, "DrainAndStop");
                double wall = (deployTo - deployFrom) / 1e6;
                double overhead = wall - healthy - warmup - migrate - drain;
                System.out.printf("%-4d %-5s %-7d %-7d %-14.2f %-14.2f %-6.2f %-8.0f %-11.0f %-10.0f %-11.0f %-14.0f %.0f%n", run,
                        warm ? "yes" : "no", all.sent(), all.failed(), steady.p99Ms(), during.p99Ms(), during.p99Ms() / steady.p99Ms(),
                        wall, healthy, warmup, migrate, drain, overhead);
                System.out.println("     p99 per 250 ms of the deploy: " + buckets(load, deployFrom, deployTo));
                if (TRACE) {
                    timeline(ws, load, deployFrom, deployWall, deployTo).forEach(l -> System.out.println("       " + l));
                }
                StringBuilder rest = new StringBuilder(); // the steps inside the overhead, and the time outside any step
                double inSteps = 0;
                for (Map.Entry<String, Object> e : steps.entrySet()) {
                    boolean beside = e.getKey().equals("LintMigrations"); // runs beside StartTarget ... PublishStatic
                    inSteps += beside ? 0 : num(steps, e.getKey());
                    if (!List.of("StartTarget", "AwaitHealthy", "WarmUp", "Migrate", "DrainAndStop").contains(e.getKey())
                            && num(steps, e.getKey()) >= 5) {
                        rest.append(e.getKey()).append(' ').append((long) num(steps, e.getKey())).append(beside ? " (beside), " : ", ");
                    }
                }
                System.out.println("     overhead: " + rest + "outside the steps (process start and exit, lock, state, waiting"
                        + " for the lint) " + Math.round(wall - inSteps) + " ms");
                if (all.failed() > 0) {
                    load.failures(5).forEach(f -> System.out.println("  failed: " + f));
                }
                if (steady.rate() < rate * 0.9) {
                    System.out.printf("  note: the load reached only %.0f requests/s%n", steady.rate());
                }
                return new double[] {all.sent(), all.failed(), steady.p99Ms(), during.p99Ms(), during.p99Ms() / steady.p99Ms(),
                        wall, healthy, warmup, migrate, drain, overhead};
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

    /** The load of a deploy under load, started: requests to the public address, every one recorded. */
    interface Load extends AutoCloseable {
        /** Stops sending; once closed, every request is in the stats. */
        @Override
        void close();

        default LoadGenerator.Stats stats() {
            return stats(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        /** The requests that started in [from, to) on System.nanoTime's clock. */
        LoadGenerator.Stats stats(long from, long to);

        List<String> failures(int max);

        /** Every answer once closed, where the tool keeps them (wrk); none otherwise. */
        default List<LoadGenerator.Sample> samples() {
            return List.of();
        }
    }

    /** The demo's own paced load tool, in this JVM (16 threads sharing an HttpClient). */
    record JavaLoad(LoadGenerator load) implements Load {
        JavaLoad {
            load.start();
        }

        @Override
        public void close() {
            load.close();
        }

        @Override
        public LoadGenerator.Stats stats(long from, long to) {
            return load.stats(from, to);
        }

        @Override
        public List<String> failures(int max) {
            return load.failures(max);
        }
    }

    /**
     * wrk (C, epoll; Debian's package) paced by bench/deploy/paced.lua to the same schedule as
     * LoadGenerator, one connection per thread: a load tool that takes far less of the CPU the
     * deploy and the serving version share. Each answer is read back from the script's logs.
     */
    static final class WrkLoad implements Load {
        private final Process wrk;
        private final Path dir;
        private final List<LoadGenerator.Sample> samples = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private long socketErrors;

        WrkLoad(URI base, int connections, double rate, List<String> paths) throws IOException {
            dir = Files.createTempDirectory("baton-bench-wrk");
            List<String> argv = new ArrayList<>(List.of("wrk", "-t" + connections, "-c" + connections, "-d600s", "--timeout", "10s",
                    "-s", root.resolve("bench/deploy/paced.lua").toString(), base.toString(), "--", Double.toString(rate),
                    Integer.toString(connections), dir.toString()));
            argv.addAll(paths);
            wrk = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("summary.txt").toFile()).start();
        }

        @Override
        public void close() {
            if (!Files.isDirectory(dir)) {
                return; // closed already
            }
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor(); // wrk prints its summary
                if (!wrk.waitFor(15, TimeUnit.SECONDS)) {
                    wrk.destroyForcibly();
                }
                try (var logs = Files.newDirectoryStream(dir, "wrk-*.log")) {
                    for (Path log : logs) {
                        for (String line : Files.readAllLines(log)) {
                            String[] f = line.split(" ");
                            int status = Integer.parseInt(f[2]);
                            samples.add(new LoadGenerator.Sample(Long.parseLong(f[0]), Long.parseLong(f[1]), status / 100 == 2));
                            if (status / 100 != 2 && failures.size() < 20) {
                                failures.add("HTTP " + status);
                            }
                        }
                    }
                }
                // connect, read, write errors and timeouts: requests with no answer to log
                String summary = Files.readString(dir.resolve("summary.txt"));
                Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+),"
                        + " timeout (\\d+)").matcher(summary);
                if (m.find()) {
                    for (int g = 1; g <= 4; g++) {
                        socketErrors += Long.parseLong(m.group(g));
                    }
                    failures.add(m.group());
                }
                deleteTree(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public LoadGenerator.Stats stats(long from, long to) {
            LoadGenerator.Stats s = LoadGenerator.Stats.of(samples, from, to);
            // a socket error has no time: counted in the whole run's figure only
            return from == Long.MIN_VALUE ? new LoadGenerator.Stats(s.sent() + socketErrors, s.failed() + socketErrors, s.seconds(),
                    s.p50Ms(), s.p99Ms(), s.maxMs()) : s;
        }

        @Override
        public List<String> failures(int max) {
            return failures.stream().limit(max).toList();
        }

        @Override
        public List<LoadGenerator.Sample> samples() {
            return samples;
        }
    }

    /** An nginx of its own for the workspace (2 workers), and baton.yml's router: pointed at it. */
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

    /**
     * BATON_BENCH_TRACE: the deploy's log lines and every request slower than TRACE_MS (wrk only), in
     * the order they happened, on milliseconds from the deploy's start: which step the slow ones met.
     */
    static List<String> timeline(DemoWorkspace ws, Load load, long deployFrom, Instant deployWall, long deployTo)
            throws IOException {
        record Line(double ms, String text) {}
        List<Line> lines = new ArrayList<>();
        for (LoadGenerator.Sample x : load.samples()) {
            if (x.startNanos() >= deployFrom && x.startNanos() < deployTo && x.latencyNanos() > TRACE_MS * 1e6) {
                lines.add(new Line((x.startNanos() - deployFrom) / 1e6, String.format("  a request took %.1f ms", x.latencyNanos() / 1e6)));
            }
        }
        try (var logs = Files.newDirectoryStream(ws.dir().resolve(".baton/logs"), "deploy-*.log")) {
            for (Path log : logs) {
                for (String l : Files.readAllLines(log)) {
                    Instant t = Instant.parse(l.substring(0, l.indexOf(' ')));
                    if (!t.isBefore(deployWall)) {
                        lines.add(new Line(Duration.between(deployWall, t).toNanos() / 1e6, l.substring(l.indexOf(' ') + 1)));
                    }
                }
            }
        }
        lines.sort(Comparator.comparingDouble(Line::ms));
        return lines.stream().map(l -> String.format("%7.1f %s", l.ms(), l.text().length() > 100 ? l.text().substring(0, 100) : l.text()))
                .toList();
    }

    /** p99 in consecutive 250 ms slices of the deploy: where the slow requests were. */
    static String buckets(Load load, long from, long to) {
        StringBuilder b = new StringBuilder();
        for (long t = from; t < to; t += 250_000_000L) {
            b.append(String.format("%.0f ", load.stats(t, Math.min(to, t + 250_000_000L)).p99Ms()));
        }
        return b.toString().trim();
    }

    static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> baton(DemoWorkspace ws, int version) throws Exception {
        return baton(root, ws, version);
    }

    static Map<String, Object> baton(Path checkout, DemoWorkspace ws, int version) throws Exception {
        // the ./baton launcher, as a user runs it (with its class-data archive)
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("baton").toString(), "deploy", "--confirm", "deploy-demo", "--json")
                .directory(ws.dir().toFile()).redirectError(ws.dir().resolve("deploy-v" + version + ".err").toFile());
        pb.environment().put("DEMO_VERSION", Integer.toString(version));
        // lint verdicts kept per run: every run's database has the same name and inputs, and only a plan of
        // the same run may hand its deploy a verdict
        pb.environment().put("XDG_CACHE_HOME", ws.dir().resolve("cache").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("deploy v" + version + " failed; see " + ws.dir().resolve("deploy-v" + version + ".err"));
        }
        return (Map<String, Object>) Json.parse(out);
    }

    /** {@code baton deploy --plan} of {@code version}, as the reference's workflow runs it before the deploy. */
    static void plan(Path checkout, DemoWorkspace ws, int version) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("baton").toString(), "deploy", "--plan")
                .directory(ws.dir().toFile()).redirectErrorStream(true).redirectOutput(ws.dir().resolve("plan-v" + version + ".out").toFile());
        pb.environment().put("DEMO_VERSION", Integer.toString(version));
        pb.environment().put("XDG_CACHE_HOME", ws.dir().resolve("cache").toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("plan v" + version + " failed; see " + ws.dir().resolve("plan-v" + version + ".out"));
        }
    }

    /** The built-in router and nginx, each in front of the same upstream, loaded at full speed by the same tool. */
    static void routerVersusNginx() throws Exception {
        System.out.println("# router vs nginx: same upstream (demo app /api/version), " + (LOAD_TOOL.equals("wrk") ? "wrk -t2 -c32"
                : "LoadGenerator, 32 workers") + ", 10 s after 5 s warm-up");
        Path dir = root.resolve("bench/work/proxy");
        deleteTree(dir);
        Files.createDirectories(dir);
        int[] ports = freePorts(4);
        int upstream = ports[0];
        ProcessBuilder app = new ProcessBuilder(javaBin(), "-XX:+UseSerialGC", "-jar",
                root.resolve("examples/demo-app/target/demo-app.jar").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("app.log").toFile());
        app.environment().put("PORT", Integer.toString(upstream));
        Process upstreamProcess = app.start();
        List<Process> started = new ArrayList<>(List.of(upstreamProcess));
        try {
            awaitUp(URI.create("http://127.0.0.1:" + upstream + "/api/version"));
            Files.writeString(dir.resolve("baton.yml"), "app: bench\nservices:\n  api:\n    command: [\"true\"]\n"
                    + "    ports: {blue: " + upstream + ", green: " + (upstream + 1) + "}\n"
                    + "router:\n  listen: 127.0.0.1:" + ports[1] + "\n  admin: 127.0.0.1:" + ports[2] + "\n");
            // the router as baton deploy starts it (its JVM options, and BATON_ROUTER_JAVA_OPTS)
            Process router = new ProcessBuilder(ProxyCommand.argv(Cli.thisJvm(), dir.resolve("baton.yml"), null, System.getenv(ProxyCommand.JAVA_OPTS))).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("router.log").toFile()).start();
            started.add(router);
            Files.createDirectories(dir.resolve("nginx/logs"));
            Files.writeString(dir.resolve("nginx/nginx.conf"), "worker_processes auto;\npid " + dir.resolve("nginx/nginx.pid") + ";\n"
                    + "error_log " + dir.resolve("nginx/logs/error.log") + " warn;\nevents { worker_connections 4096; }\n"
                    + "http {\n  access_log off;\n  upstream app { server 127.0.0.1:" + upstream + "; keepalive 64; }\n"
                    + "  server {\n    listen 127.0.0.1:" + ports[3] + ";\n    location / {\n      proxy_pass http://app;\n"
                    + "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n"
                    + "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n  }\n}\n");
            Process nginx = new ProcessBuilder("nginx", "-p", dir.resolve("nginx").toString(), "-c", dir.resolve("nginx/nginx.conf").toString(),
                    "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx/logs/out.log").toFile()).start();
            started.add(nginx);
            URI viaRouter = URI.create("http://127.0.0.1:" + ports[1] + "/api/version");
            URI viaNginx = URI.create("http://127.0.0.1:" + ports[3] + "/api/version");
            awaitUp(viaRouter);
            awaitUp(viaNginx);
            System.out.println("proxy   requests  failed  rps      p50_ms  p99_ms");
            LoadGenerator.Stats direct = blast(URI.create("http://127.0.0.1:" + upstream + "/api/version"));
            LoadGenerator.Stats r = blast(viaRouter);
            LoadGenerator.Stats n = blast(viaNginx);
            for (Object[] row : new Object[][] {{"none", direct}, {"baton", r}, {"nginx", n}}) {
                LoadGenerator.Stats s = (LoadGenerator.Stats) row[1];
                System.out.printf("%-7s %-9d %-7d %-8.0f %-7.2f %.2f%n", row[0], s.sent(), s.failed(), s.rate(), s.p50Ms(), s.p99Ms());
            }
            System.out.printf("baton/nginx: throughput %.2f, p99 %.2f%n", r.rate() / n.rate(), r.p99Ms() / n.p99Ms());
        } finally {
            for (Process p : started) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }

    static LoadGenerator.Stats blast(URI uri) throws Exception {
        if (LOAD_TOOL.equals("wrk")) {
            return wrkBlast(uri);
        }
        try (LoadGenerator load = new LoadGenerator(List.of(uri), 32, 0)) {
            load.start();
            pause(LOAD_WARMUP);
            long from = System.nanoTime();
            pause(Duration.ofSeconds(10));
            long to = System.nanoTime();
            load.close();
            return load.stats(from, to);
        }
    }

    /** The same blast with wrk (2 threads, 32 connections, as fast as they go): BATON_BENCH_LOAD_WARMUP unmeasured, then 10 s. */
    static LoadGenerator.Stats wrkBlast(URI uri) throws Exception {
        wrk(uri, LOAD_WARMUP.toSeconds() + "s");
        String out = wrk(uri, "10s");
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher sent = Pattern.compile("([0-9]+) requests in").matcher(out);
        if (!rate.find() || !sent.find()) {
            throw new IllegalStateException("wrk printed no rate:\n" + out);
        }
        long failed = 0;
        Matcher bad = Pattern.compile("(?:Non-2xx or 3xx responses|connect|read|write|timeout)"
                + ":? ([0-9]+)").matcher(out);
        while (bad.find()) {
            failed += Long.parseLong(bad.group(1));
        }
        long n = Long.parseLong(sent.group(1));
        return new LoadGenerator.Stats(n, failed, n / Double.parseDouble(rate.group(1)), wrkMs(out, "50%"), wrkMs(out, "99%"), wrkMs(out, "99%"));
    }

    static String wrk(URI uri, String duration) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + duration, "--latency", uri.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /** A percentile from wrk's latency distribution ("99%  12.34ms"), in ms. */
    static double wrkMs(String out, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\b")
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + percentile + ":\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static void awaitUp(URI uri) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(uri + " did not come up");
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    static void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    static void sql(DatabaseUrl db, String statement) throws Exception {
        Properties p = new Properties();
        if (db.user() != null) {
            p.setProperty("user", db.user());
        }
        if (db.password() != null) {
            p.setProperty("password", db.password());
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        ServerSocket[] held = new ServerSocket[n];
        for (int i = 0; i < n; i++) {
            held[i] = new ServerSocket(0);
            out[i] = held[i].getLocalPort();
        }
        for (ServerSocket s : held) {
            s.close();
        }
        return out;
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

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
