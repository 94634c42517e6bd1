package dev.baton.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The old version's latency while a migration needs ACCESS EXCLUSIVE on its busiest table
 * (issue 12). A table of ROWS rows; the old version: 8 sessions at a steady RATE transactions/s
 * of point reads and writes (open loop: latency counted from each request's planned start, so
 * a stall is not hidden); a reporting transaction that holds the table for HOLD seconds; then
 * the migration {@code ALTER TABLE accounts ADD COLUMN extra int DEFAULT 0}, run by the command
 * given (Flyway or Baton, as a process). Prints the latency and failures of the old version
 * while the migration ran, and how long it took.
 *
 * <p>java -cp flyway-runner.jar dev.baton.bench.LockBench JDBC_URL MIGRATIONS_DIR RATE HOLD_S LABEL command...
 */
public final class LockBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path dir = Path.of(args[1]);
        int rate = Integer.parseInt(args[2]);
        int holdSeconds = Integer.parseInt(args[3]);
        String label = args[4];
        List<String> command = List.of(args).subList(5, args.length);
        int rows;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*) FROM accounts");
            rs.next();
            rows = rs.getInt(1);
            st.execute("ALTER TABLE accounts DROP COLUMN IF EXISTS extra");
            st.execute("DROP TABLE IF EXISTS flyway_schema_history, baton_history");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("V1__accounts_extra.sql"), "ALTER TABLE accounts ADD COLUMN extra int DEFAULT 0;\n");

        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>()); // {planned start ns, latency ns}
        AtomicLong failed = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        int sessions = 8;
        long start = System.nanoTime();
        for (int t = 0; t < sessions; t++) {
            Thread th = new Thread(() -> client(url, rows, rate / (double) sessions, start, running, samples, failed));
            th.start();
            clients.add(th);
        }
        LockSupport.parkNanos(3_000_000_000L); // steady state first
        long steadyEnd = System.nanoTime();
        Thread report = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("SELECT count(*) FROM accounts"); // holds ACCESS SHARE until COMMIT
                st.execute("SELECT pg_sleep(" + holdSeconds + ")");
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        report.start();
        LockSupport.parkNanos(500_000_000L);
        long migStart = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("migration.log").toFile()).start();
        int code = p.waitFor();
        long migEnd = System.nanoTime();
        LockSupport.parkNanos(1_000_000_000L);
        running.set(false);
        for (Thread th : clients) {
            th.join();
        }
        report.join();
        boolean added;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'extra'");
            rs.next();
            added = rs.getInt(1) == 1;
        }
        List<Long> steady = new ArrayList<>();
        List<Long> during = new ArrayList<>();
        synchronized (samples) {
            for (long[] s : samples) {
                if (s[0] >= start + 1_000_000_000L && s[0] < steadyEnd) {
                    steady.add(s[1]);
                } else if (s[0] >= migStart && s[0] <= migEnd) {
                    during.add(s[1]);
                }
            }
        }
        Collections.sort(steady);
        Collections.sort(during);
        System.out.printf("%s|%d|%.1f|%.1f|%.1f|%d|%.2f|%s%n", label,
                during.size(), ms(pct(steady, 0.99)), ms(pct(during, 0.99)), ms(during.isEmpty() ? 0 : during.get(during.size() - 1)),
                failed.get(), (migEnd - migStart) / 1e9, code == 0 && added ? "migrated" : "NOT migrated (exit " + code + ")");
    }

    private static void client(String url, int rows, double perSecond, long start, AtomicBoolean running,
                               List<long[]> samples, AtomicLong failed) {
        long interval = (long) (1e9 / perSecond);
        long next = start + ThreadLocalRandom.current().nextLong(interval);
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement read = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?");
             PreparedStatement write = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?")) {
            boolean flip = false;
            while (running.get()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int id = 1 + ThreadLocalRandom.current().nextInt(rows);
                try {
                    PreparedStatement ps = (flip = !flip) ? read : write;
                    ps.setInt(1, id);
                    ps.execute();
                } catch (SQLException e) {
                    failed.incrementAndGet();
                }
                samples.add(new long[] {next, System.nanoTime() - next});
                next += interval;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
