package dev.baton.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The application {@code baton demo} and the end-to-end tests deploy: one jar, three versions
 * (chosen by {@code DEMO_VERSION}), configured from the environment the way Baton starts it.
 *
 * <pre>
 * PORT            port to listen on                      BATON_COLOR   reported by /api/version
 * BATON_HOST      address to listen on (default 127.0.0.1)
 * DEMO_VERSION    1, 2 or 3 (2 reads the priority column its migration adds)
 * DATABASE_URL    postgres://user[:password]@host:port/db or a jdbc:postgresql: URL
 * REDIS_URL       redis://host:port (optional; enables /api/health/redis)
 * DEMO_FAIL_PATHS comma-separated paths that answer 500 (to exercise failed health and validation)
 * DEMO_FAIL_ON    only fail those paths on the host whose BATON_HOST is this (a multi-host test)
 * </pre>
 */
public final class DemoApp {
    private final int version;
    private final String colour;
    private final String jdbcUrl;
    private final URI redis;
    private final Set<String> failPaths;
    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(8);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    DemoApp(int version, String colour, String jdbcUrl, URI redis, Set<String> failPaths) {
        this.version = version;
        this.colour = colour;
        this.jdbcUrl = jdbcUrl;
        this.redis = redis;
        this.failPaths = failPaths;
    }

    public static void main(String[] args) throws IOException {
        String env = System.getenv().getOrDefault("DATABASE_URL", "");
        String redis = System.getenv("REDIS_URL");
        String bind = System.getenv().getOrDefault("BATON_HOST", "127.0.0.1");
        String failOn = System.getenv().getOrDefault("DEMO_FAIL_ON", "");
        String fail = failOn.isEmpty() || failOn.equals(bind) ? System.getenv().getOrDefault("DEMO_FAIL_PATHS", "") : "";
        DemoApp app = new DemoApp(
                Integer.parseInt(System.getenv().getOrDefault("DEMO_VERSION", "1")),
                System.getenv().getOrDefault("BATON_COLOR", "none"),
                env.isEmpty() ? null : jdbc(env),
                redis == null || redis.isBlank() ? null : URI.create(redis),
                fail.isBlank() ? Set.of() : Set.of(fail.split(",")));
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
        app.serve(bind, port);
    }

    void serve(String bind, int port) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: +40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 512);
        ExecutorService workers = Executors.newFixedThreadPool(32);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        System.out.println("demo-app v" + version + " (" + colour + ") listening on " + bind + ":" + port);
        // SIGTERM: let requests in progress finish (up to 10 s), then close. Counted here because
        // HttpServer.stop(delay) on Java 17 waits the whole delay even when nothing is in progress.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long start = System.nanoTime();
            System.out.println("demo-app v" + version + " (" + colour + ") stopping");
            long deadline = start + TimeUnit.SECONDS.toNanos(10);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            server.stop(0);
            workers.shutdown();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("demo-app v" + version + " (" + colour + ") stopped in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        }));
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        inFlight.incrementAndGet();
        try {
            if (failPaths.contains(path)) {
                send(ex, 500, "{\"error\":\"failing on purpose (DEMO_FAIL_PATHS)\"}");
                return;
            }
            switch (path) {
                case "/api/health" -> send(ex, 200, "{\"status\":\"ok\"}");
                case "/api/health/db" -> send(ex, 200, "{\"database\":\"" + query("SELECT version()") + "\"}");
                case "/api/health/redis" -> redisHealth(ex);
                case "/api/version" -> send(ex, 200, "{\"version\":" + version + ",\"colour\":\"" + colour + "\"}");
                case "/api/items" -> send(ex, 200, items());
                case "/api/slow" -> slow(ex);
                case "/api/hold" -> hold(ex);
                case "/api/release" -> {
                    released.countDown();
                    send(ex, 200, "{\"released\":true}");
                }
                default -> send(ex, 404, "{\"error\":\"no such path\"}");
            }
        } catch (SQLException e) {
            send(ex, 503, "{\"error\":\"database: " + e.getMessage().replace('"', '\'').replace('\n', ' ') + "\"}");
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\":\"" + e + "\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** v1 lists names; v2 and later also the priority column that v2's migration adds. */
    private String items() throws SQLException {
        String sql = version >= 2 ? "SELECT id, name, priority FROM items ORDER BY id" : "SELECT id, name FROM items ORDER BY id";
        Connection c = borrow();
        boolean ok = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            StringBuilder out = new StringBuilder("[");
            while (rs.next()) {
                out.append(out.length() > 1 ? "," : "").append("{\"id\":").append(rs.getLong(1))
                        .append(",\"name\":\"").append(rs.getString(2)).append('"');
                if (version >= 2) {
                    out.append(",\"priority\":").append(rs.getInt(3));
                }
                out.append('}');
            }
            ok = true;
            return out.append(']').toString();
        } finally {
            giveBack(c, ok);
        }
    }

    private String query(String sql) throws SQLException {
        Connection c = borrow();
        boolean ok = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            ok = true;
            return rs.getString(1).replace('"', '\'');
        } finally {
            giveBack(c, ok);
        }
    }

    private Connection borrow() throws SQLException {
        if (jdbcUrl == null) {
            throw new SQLException("DATABASE_URL is not set");
        }
        Connection c = pool.poll();
        return c != null ? c : DriverManager.getConnection(jdbcUrl);
    }

    private void giveBack(Connection c, boolean healthy) {
        if (!healthy || !pool.offer(c)) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }

    private void redisHealth(HttpExchange ex) throws IOException {
        if (redis == null) {
            send(ex, 404, "{\"error\":\"REDIS_URL is not set\"}");
            return;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort()), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[64];
            int n = s.getInputStream().read(buf);
            String answer = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII).strip() : "";
            send(ex, answer.equals("+PONG") ? 200 : 503, "{\"redis\":\"" + answer + "\"}");
        } catch (IOException e) {
            send(ex, 503, "{\"redis\":\"" + e.getMessage() + "\"}");
        }
    }

    /** Answers after {@code ms} milliseconds: a request still in flight when traffic switches. */
    private void slow(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        long ms = q != null && q.startsWith("ms=") ? Long.parseLong(q.substring(3)) : 1000;
        try {
            Thread.sleep(ms); // the point of this endpoint is to take time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(ex, 200, "{\"slept_ms\":" + ms + ",\"version\":" + version + "}");
    }

    /**
     * Answers once {@code /api/release} was requested of this process (or after 60 s): a request in
     * flight for exactly as long as a test needs, whatever the machine's speed.
     */
    private void hold(HttpExchange ex) throws IOException {
        boolean ok = false;
        try {
            ok = released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(ex, 200, "{\"released\":" + ok + ",\"version\":" + version + "}");
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** postgres://user:pw@host:port/db to a pgjdbc URL; jdbc: URLs pass through. */
    static String jdbc(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        URI u = URI.create(url.replaceFirst("^postgresql://", "postgres://"));
        StringBuilder s = new StringBuilder("jdbc:postgresql://").append(u.getHost())
                .append(':').append(u.getPort() < 0 ? 5432 : u.getPort()).append(u.getPath());
        if (u.getUserInfo() != null) {
            String[] up = u.getUserInfo().split(":", 2);
            s.append("?user=").append(up[0]);
            if (up.length > 1) {
                s.append("&password=").append(up[1]);
            }
        }
        return s.toString();
    }
}
