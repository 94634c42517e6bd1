package dev.baton.cli.demo;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.cli.Cli;
import dev.baton.cli.deploy.Deployments;
import dev.baton.cli.deploy.ShutdownGuard;
import dev.baton.deploy.DeployOutcome;
import dev.baton.deploy.DeployVersion;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.probe.HttpProbe;
import dev.baton.migrate.DatabaseUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton demo}: the whole story on this machine. Deploys the demo app's v1, then v2 under
 * load, then v3 whose migration would break v2 (the lint stops it), and reports what the load saw. Everything it starts is
 * stopped and its database dropped when it ends, however it ends.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show a zero-downtime deploy on this machine, end to end.", "",
                "  1. deploy the demo app v1 (blue), with its migration",
                "  2. deploy v2 (green) while a load generator sends requests through the router;",
                "     v2's migration adds a column, traffic switches, blue drains and stops",
                "  3. deploy v3, whose migration would break v2 (a NOT NULL column v2 never fills):",
                "     the migration lint, run on a shadow database, stops it before it migrates anything", "",
                "It prints requests sent and failed, p50/p99 latency, each deploy's duration and the schema",
                "revision after each step. It needs a PostgreSQL it may create a database on: the one at",
                "127.0.0.1:5432 (user postgres) unless --database-url or BATON_DEMO_DATABASE_URL says otherwise.",
                "It creates the database baton_demo_run afresh and drops it at the end. When no server answers",
                "(and no --database-url was given) it starts an embedded PostgreSQL for the demo's length;",
                "PostgreSQL refuses to run as root, so as root it says how to point it at a server instead."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  no request failed and v2 still serves after v3's failure", "  1  the demo saw a failure",
                "  2  no PostgreSQL to use, or the demo app is not built"})
public final class DemoCommand implements Callable<Integer> {
    static final String DATABASE = "baton_demo_run";
    private final Cli cli;

    @Option(names = "--database-url", paramLabel = "URL",
            description = "an administrative connection to the PostgreSQL to use (default: postgres://postgres@127.0.0.1:5432/postgres)")
    String adminUrl;

    private static final int MAX_RATE = 100_000;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200", description = "requests per second during the demo, 1 to 100000 (default: 200)")
    long rate; // a long, so that a number past an int's range is refused with the range below, not as "not an int"

    @Option(names = "--keep", description = "keep the demo's folder (config, logs, audit log) instead of deleting it")
    boolean keep;

    public DemoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = cli.err();
        if (rate < 1 || rate > MAX_RATE) {
            // the load generator reads 0 or less as "as fast as it can": not what a rate of -5 asks for
            throw BatonException.usage("--rate " + rate + ": requests per second, from 1 to " + MAX_RATE + ", e.g. --rate 200");
        }
        Path home = installation();
        Path appJar = home.resolve("examples/demo-app/target/demo-app.jar");
        Path releases = home.resolve("examples/demo-app/releases");
        if (!Files.isRegularFile(appJar) || !Files.isDirectory(releases)) {
            throw BatonException.usage("the demo app is not built (" + appJar + "); run ./mvnw -q -DskipTests package"
                    + " in the Baton checkout, or start the demo with ./baton demo, which builds it");
        }
        EmbeddedPostgres embedded = null;
        String admin = adminUrl != null ? adminUrl : cli.env().getOrDefault("BATON_DEMO_DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/postgres");
        DatabaseUrl adminDb = DatabaseUrl.parse(admin, null, null);
        String unreachable = probe(adminDb);
        if (unreachable != null) {
            if (adminUrl != null) {
                throw BatonException.usage("--database-url " + adminDb.display() + " does not answer: " + unreachable);
            }
            if ("root".equals(System.getProperty("user.name"))) {
                throw BatonException.usage("no PostgreSQL answers at " + adminDb.display() + " (" + unreachable + "),"
                        + " and PostgreSQL refuses to run as root, so the demo cannot start an embedded one.\n"
                        + "  Start a server (for example apt-get install postgresql) or point the demo at yours:\n"
                        + "    baton demo --database-url postgres://USER:PASSWORD@HOST:5432/postgres\n"
                        + "  or run the demo as a user other than root.");
            }
            err.println("no PostgreSQL answers at " + adminDb.display() + "; starting an embedded one (the first start"
                    + " unpacks it, a few seconds)");
            embedded = EmbeddedPostgres.start(home.resolve("examples/demo-postgres/target/demo-postgres.jar"));
            adminDb = DatabaseUrl.parse(embedded.url(), null, null);
        }
        EmbeddedPostgres server = embedded;
        DatabaseUrl adminFinal = adminDb;
        String dbUrl;
        try {
            dbUrl = createDatabase(adminDb);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        Path dir = Files.createTempDirectory("baton-demo-");
        DemoWorkspace ws = DemoWorkspace.create(dir, dbUrl, hostPort(adminFinal), appJar, releases);
        AtomicBoolean cleaned = new AtomicBoolean();
        Runnable cleanup = () -> {
            if (cleaned.compareAndSet(false, true)) {
                ws.stopAll();
                dropDatabase(adminFinal);
                if (server != null) {
                    server.close();
                }
                if (!keep) {
                    delete(dir);
                }
                err.println(keep ? "kept " + dir + " (config, logs, audit log); its processes are stopped and its database dropped"
                        : "cleaned up: processes stopped, database " + DATABASE + " dropped, " + dir + " deleted");
                err.flush();
            }
        };
        // Ctrl-C: the deploy in progress stops at its next step and undoes itself, then this cleans up
        ShutdownGuard guard = new ShutdownGuard(err, "the demo");
        try {
            stopping = guard::stopping;
            return run(ws, err);
        } finally {
            cleanup.run();
            guard.close();
        }
    }

    private BooleanSupplier stopping = () -> false;

    private int run(DemoWorkspace ws, PrintWriter err) throws Exception {
        URI base = ws.publicUri();
        List<String> report = new ArrayList<>();
        err.println("Baton demo: the demo app in " + ws.dir() + ", router at " + base + ", database " + DATABASE);

        DeployOutcome v1 = deploy(ws, 1, err);
        report.add(line("deploy v1", v1));
        if (!v1.ok()) {
            return finish(err, report, null, false);
        }
        LoadGenerator.Stats stats;
        DeployOutcome v2;
        DeployOutcome v3;
        boolean v2Serves;
        try (LoadGenerator load = new LoadGenerator(List.of(base.resolve("/api/items"), base.resolve("/api/version")), 4, rate)) {
            load.start();
            err.println("\nload: " + rate + " requests/s through the router to /api/items and /api/version");
            steady(load, 2);
            v2 = deploy(ws, 2, err);
            report.add(line("deploy v2", v2));
            v3 = deploy(ws, 3, err);
            report.add(line("deploy v3", v3) + (v3.ok() ? "  (it should have failed!)" : "  (stopped as planned)"));
            HttpProbe.Answer version = HttpProbe.get(base.resolve("/api/version"), Duration.ofSeconds(5));
            v2Serves = version.ok() && version.detail().contains("\"version\":2");
            steady(load, 1);
            load.close();
            stats = load.stats();
            if (stats.failed() > 0) {
                load.failures(5).forEach(f -> err.println("  failed: " + f));
            }
        }
        return finish(err, report, stats, v2.ok() && !v3.ok() && v2Serves) ;
    }

    /** Lets the load run on its own for a moment, so the figures include steady state around the deploys. */
    private void steady(LoadGenerator load, int seconds) {
        long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < until && !stopping.getAsBoolean()) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
        cli.err().println("load so far: " + load.stats());
    }

    private int finish(PrintWriter err, List<String> report, LoadGenerator.Stats stats, boolean deploysAsPlanned) {
        err.println("\nDemo summary");
        report.forEach(r -> err.println("  " + r));
        if (stats != null) {
            err.println(String.format("  requests sent: %d, failed: %d, p50 %.1f ms, p99 %.1f ms", stats.sent(), stats.failed(),
                    stats.p50Ms(), stats.p99Ms()));
        }
        boolean ok = deploysAsPlanned && stats != null && stats.failed() == 0;
        err.println(ok ? "  v2 still serves after v3's failure, and no request failed."
                : "  the demo did NOT go as planned (see above)");
        err.flush();
        return ok ? 0 : 1;
    }

    private DeployOutcome deploy(DemoWorkspace ws, int version, PrintWriter err) {
        if (stopping.getAsBoolean()) {
            throw new BatonException(ExitCode.FAILED, "the demo was interrupted before deploying v" + version);
        }
        err.println("\n== deploy v" + version + (version == 3 ? " (its migration would break v2, on purpose)" : "") + " ==");
        Map<String, String> env = new HashMap<>(cli.env());
        env.put("DEMO_VERSION", Integer.toString(version));
        DeployConfig cfg = DeployConfigReader.read(ws.config(), new DeployVersion("v" + version, "the demo").into(env));
        DeployOutcome o = Deployments.deployer(cli, cfg, err, false).deploy("deploy-demo");
        if (!o.ok()) {
            err.println("  " + o.result().failedStep() + " failed: " + firstLines(o.result().error(), 3));
        }
        return o;
    }

    private static String line(String what, DeployOutcome o) {
        return String.format("%-10s %-9s %5.1f s  %s  schema at %s", what, o.ok() ? "succeeded" : "failed",
                o.elapsed().toMillis() / 1000.0, o.ok() ? (o.from() == null ? "-" : o.from()) + " → " + o.to()
                        : "traffic stayed on " + o.from(), o.state().revision());
    }

    private static String firstLines(Throwable e, int n) {
        String m = e == null ? "" : String.valueOf(e.getMessage());
        return String.join("\n  ", m.lines().limit(n).toList());
    }

    /** The checkout baton.jar was built in: .../baton-cli/target/baton.jar → ... */
    static Path installation() {
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = jar.getParent().getParent().getParent();
            return home == null ? Path.of("").toAbsolutePath() : home;
        } catch (Exception e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** Null when the server answers, else why not. */
    private static String probe(DatabaseUrl admin) {
        try (Connection c = connect(admin)) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private String createDatabase(DatabaseUrl admin) {
        try (Connection c = connect(admin); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw BatonException.usage("cannot create the demo's database " + DATABASE + " on " + admin.display()
                    + ": " + e.getMessage() + "; the demo needs a user that may create databases");
        }
        int slash = admin.jdbcUrl().indexOf('/', "jdbc:postgresql://".length());
        int query = admin.jdbcUrl().indexOf('?');
        String url = admin.jdbcUrl().substring(0, slash + 1) + DATABASE + (query < 0 ? "" : admin.jdbcUrl().substring(query));
        String sep = url.contains("?") ? "&" : "?";
        if (admin.user() != null) {
            url += sep + "user=" + admin.user();
            sep = "&";
        }
        if (admin.password() != null) {
            url += sep + "password=" + admin.password();
        }
        return url;
    }

    private static void dropDatabase(DatabaseUrl admin) {
        try (Connection c = connect(admin); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + DATABASE + ": " + e.getMessage());
        }
    }

    private static Connection connect(DatabaseUrl db) throws SQLException {
        return db.open("baton demo");
    }

    private static String hostPort(DatabaseUrl db) {
        URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        return u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort());
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + IoReason.of(e));
        }
    }
}
