package dev.baton.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady HTTP load for the demo, the end-to-end tests and the benchmark: {@code workers} threads
 * share a keep-alive client and together send {@code rate} GETs per second (0: as fast as they
 * can). Every request is recorded (when, how long, ok or not) so a window, such as the deploy,
 * can be summarised apart from steady state. A request fails on a non-2xx answer or an I/O error.
 * Like browsers (RFC 9110 §9.2.2), a GET whose kept-alive connection is closed before any byte
 * of the answer arrives is sent again once; such retries are counted apart ({@link #retried}).
 * nginx closes idle kept-alive connections when it reloads, so a client can race it.
 */
public final class LoadGenerator implements AutoCloseable {
    /** One request: when it started (nanoTime), how long it took, whether it succeeded. */
    public record Sample(long startNanos, long latencyNanos, boolean ok) {}

    /** A summary of the samples in a window. */
    public record Stats(long sent, long failed, double seconds, double p50Ms, double p99Ms, double maxMs) {
        public double rate() {
            return seconds <= 0 ? 0 : sent / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d requests (%.0f/s), %d failed, p50 %.2f ms, p99 %.2f ms, max %.1f ms", sent, rate(),
                    failed, p50Ms, p99Ms, maxMs);
        }

        /** Summary of the samples that started in [fromNanos, toNanos) (also of another load tool's). */
        public static Stats of(Collection<Sample> samples, long fromNanos, long toNanos) {
            List<Sample> in = samples.stream().filter(s -> s.startNanos() >= fromNanos && s.startNanos() < toNanos).toList();
            if (in.isEmpty()) {
                return new Stats(0, 0, 0, 0, 0, 0);
            }
            long[] lat = in.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
            long first = in.stream().mapToLong(Sample::startNanos).min().getAsLong();
            long last = in.stream().mapToLong(s -> s.startNanos() + s.latencyNanos()).max().getAsLong();
            long failed = in.stream().filter(s -> !s.ok()).count();
            return new Stats(in.size(), failed, (last - first) / 1e9, pct(lat, 50), pct(lat, 99), lat[lat.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, double p) {
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
        }
    }

    private final List<URI> targets;
    private final int workers;
    private final double rate;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong retried = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param targets URLs requested in turn
     * @param rate requests per second across all workers; 0 for as many as they can
     */
    public LoadGenerator(List<URI> targets, int workers, double rate) {
        this.targets = List.copyOf(targets);
        this.workers = workers;
        this.rate = rate;
    }

    public LoadGenerator start() {
        running.set(true);
        long begin = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int id = w;
            Thread t = new Thread(() -> work(id, begin), "load-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return this;
    }

    private void work(int id, long begin) {
        long interval = rate <= 0 ? 0 : (long) (1e9 * workers / rate);
        long next = begin + (interval * id) / Math.max(1, workers);
        int i = id;
        while (running.get()) {
            if (interval > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += interval;
            }
            URI uri = targets.get(i++ % targets.size());
            long start = System.nanoTime();
            boolean ok;
            try {
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
                HttpResponse<byte[]> r;
                try {
                    r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException closed) {
                    if (!String.valueOf(closed.getMessage()).contains("received no bytes")) {
                        throw closed;
                    }
                    retried.incrementAndGet(); // the connection closed before the answer began: send it again
                    r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                }
                ok = r.statusCode() >= 200 && r.statusCode() < 300;
                if (!ok) {
                    failures.add(uri + " → HTTP " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8).strip());
                }
            } catch (IOException e) {
                ok = false;
                failures.add(uri + " → " + e);
            } catch (InterruptedException e) {
                return;
            }
            samples.add(new Sample(start, System.nanoTime() - start, ok));
        }
    }

    /** Stops sending and waits for the requests in flight. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Samples so far (all of them once closed). */
    public List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Requests sent a second time because their kept-alive connection closed before any answer. */
    public long retried() {
        return retried.get();
    }

    /** The first failures, for messages. */
    public List<String> failures(int max) {
        return failures.stream().limit(max).toList();
    }

    /** Summary of every sample. */
    public Stats stats() {
        return stats(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Summary of the requests that started in [fromNanos, toNanos). */
    public Stats stats(long fromNanos, long toNanos) {
        return Stats.of(samples, fromNanos, toNanos);
    }
}
